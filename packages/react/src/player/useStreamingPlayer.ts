import {
  createStreamingPlayer,
  type PlayerState,
  type StreamingPlayer,
  type StreamingPlayerOptions,
} from '@voicekit/core'
import { useEffect, useState, useSyncExternalStore } from 'react'

export interface UseStreamingPlayerResult
  extends PlayerState,
    Pick<StreamingPlayer, 'play' | 'pause' | 'resume' | 'stop' | 'unlock' | 'setVolume' | 'setPlaybackRate'> {
  player: StreamingPlayer
}

/**
 * A streaming player owned by the component: its state re-renders the component, and it is
 * stopped and released on unmount (creating it touches no browser API, so server rendering is safe).
 * `options` are read once.
 */
export function useStreamingPlayer(options?: StreamingPlayerOptions): UseStreamingPlayerResult {
  const [player] = useState(() => createStreamingPlayer(options))
  // dispose() leaves the player usable: StrictMode's unmount-and-mount keeps working.
  useEffect(() => () => player.dispose(), [player])
  const state = useSyncExternalStore(player.subscribe, player.getSnapshot, player.getSnapshot)
  const { play, pause, resume, stop, unlock, setVolume, setPlaybackRate } = player
  return {
    ...state,
    player,
    play,
    pause,
    resume,
    stop,
    unlock,
    setVolume,
    setPlaybackRate,
  }
}
