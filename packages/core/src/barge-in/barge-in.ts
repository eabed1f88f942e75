// Barge-in: when the person starts talking, speech that is playing stops (or ducks).
import type { LevelSource } from '../capture/types'
import type { PlayerState } from '../playback'
import type { ReadableStore } from '../store'

export type BargeInMode = 'stop' | 'duck' | false

export interface BargeInOptions {
  /** `stop` (default): stop playback and drop the queue. `duck`: lower the volume until the person's turn ends. `false`: nothing. */
  mode?: BargeInMode
  /** Volume while ducked (of the volume before). Default 0.2. */
  duckTo?: number
  /**
   * Milliseconds after playback starts during which detected speech is not taken for the person:
   * the first moments of our own speech can leak from the speaker into the microphone before echo
   * cancellation adapts. An explicit `userStarted()` (a press of the microphone) always counts. Default 800.
   */
  graceMs?: number
}

/** What barge-in drives: a `StreamingPlayer` (or `useSpeak()`'s `player`). */
export interface BargeInPlayer extends ReadableStore<Pick<PlayerState, 'status' | 'volume'>> {
  stop(): void
  setVolume(volume: number): void
}

export interface BargeIn {
  /** The person took the turn (recording started): always interrupts. */
  userStarted(): void
  /**
   * The hook point for voice activity (continuous dictation, a VAD): speech was detected. Ignored
   * within `graceMs` of playback starting; returns whether it interrupted.
   */
  speechDetected(): boolean
  /** The person's turn ended: a ducked volume comes back. */
  userStopped(): void
  /** Calls `speechDetected()` when `level` stays at or above `threshold` (0…1) for `holdMs`. Returns the unsubscribe. */
  watchLevel(level: LevelSource, threshold?: number, holdMs?: number): () => void
  /** Stops watching the player (restores a ducked volume). */
  dispose(): void
}

const AUDIBLE = new Set(['loading', 'buffering', 'playing', 'paused', 'blocked'])

export function createBargeIn(player: BargeInPlayer, options: BargeInOptions = {}): BargeIn {
  const { mode = 'stop', duckTo = 0.2, graceMs = 800 } = options
  let playingSince = 0
  let restore: number | undefined
  let last = player.getSnapshot().status
  const off = player.subscribe(() => {
    const { status } = player.getSnapshot()
    if (status === 'playing' && last !== 'playing' && last !== 'paused') playingSince = performance.now()
    last = status
  })

  const interrupt = () => {
    const { status, volume } = player.getSnapshot()
    if (!mode || !AUDIBLE.has(status)) return false
    if (mode === 'stop') player.stop()
    else if (restore === undefined) {
      restore = volume
      player.setVolume(volume * duckTo)
    }
    return true
  }
  const userStopped = () => {
    if (restore === undefined) return
    player.setVolume(restore)
    restore = undefined
  }

  const speechDetected = () => {
    const { status } = player.getSnapshot()
    if (status === 'playing' && performance.now() - playingSince < graceMs) return false
    return interrupt()
  }

  return {
    userStarted: () => void interrupt(),
    speechDetected,
    userStopped,
    watchLevel(level, threshold = 0.5, holdMs = 150) {
      let since = 0
      return level.subscribe((value) => {
        if (value < threshold) since = 0
        else if (!since) since = performance.now()
        else if (performance.now() - since >= holdMs) {
          since = 0
          speechDetected()
        }
      })
    },
    dispose() {
      off()
      userStopped()
    },
  }
}
