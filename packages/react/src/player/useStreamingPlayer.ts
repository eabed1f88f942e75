import {
  createStreamingPlayer,
  type PlayerState,
  type StreamingPlayer,
  type StreamingPlayerOptions,
} from '@voicekit/core'
import { useBinding } from '../binding'

export interface UseStreamingPlayerResult
  extends PlayerState,
    Pick<StreamingPlayer, 'play' | 'pause' | 'resume' | 'stop' | 'unlock' | 'setVolume' | 'setPlaybackRate'> {
  player: StreamingPlayer
}

function bindPlayer(options: StreamingPlayerOptions | undefined) {
  const player = createStreamingPlayer(options)
  const { play, pause, resume, stop, unlock, setVolume, setPlaybackRate } = player
  return {
    store: player,
    // The player has no configure(): its options are read once, when it is created.
    configure() {},
    // dispose() leaves the player usable: StrictMode's unmount-and-mount keeps working.
    release: player.dispose,
    result: { player, play, pause, resume, stop, unlock, setVolume, setPlaybackRate },
  }
}

/**
 * A streaming player owned by the component: its state re-renders the component, and it is
 * stopped and released on unmount (creating it touches no browser API, so server rendering is safe).
 * `options` are read once.
 */
export function useStreamingPlayer(options?: StreamingPlayerOptions): UseStreamingPlayerResult {
  const [bound, state] = useBinding(bindPlayer, options)
  return { ...state, ...bound.result }
}
