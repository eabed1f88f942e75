export type { WaveformProps } from './Waveform'
export { Waveform } from './Waveform'
