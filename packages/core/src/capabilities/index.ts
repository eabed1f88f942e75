export type { PlaybackEngine, VoiceCapabilities } from './detect'
export { detectCapabilities, RECORDING_TYPE_CANDIDATES } from './detect'
