export type {
  AudioSource,
  PlayerState,
  PlayerStatus,
  PlayOptions,
  StreamingPlayer,
  StreamingPlayerOptions,
} from './player'
export { createStreamingPlayer } from './player'
