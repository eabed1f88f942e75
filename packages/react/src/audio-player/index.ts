export type { AudioPlayerController, UseAudioPlayerOptions, UseAudioPlayerResult } from './useAudioPlayer'
export { useAudioPlayer } from './useAudioPlayer'
