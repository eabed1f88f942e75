export type { AudioLevelTarget } from './useAudioLevel'
export { useAudioLevel } from './useAudioLevel'
