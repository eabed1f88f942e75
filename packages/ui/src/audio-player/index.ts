export type { AudioPlayerLabels, AudioPlayerProps, PlayerController } from './AudioPlayer'
export { AudioPlayer, defaultAudioPlayerLabels } from './AudioPlayer'
