// `@voicekit/ui/voice-controls`: the device pickers and the visualizer, on their own entry so that
// the main entry stays within its size budget for apps that use neither.
export type { DeviceSelectLabels, DeviceSelectProps } from './device-select'
export { DeviceSelect, defaultDeviceSelectLabels } from './device-select'
export type { ErrorLabels } from './internal/util'
export type { WaveformProps } from './waveform'
export { Waveform } from './waveform'
