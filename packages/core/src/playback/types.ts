import type { PlaybackEngine } from '../capabilities'

/** What the player lends an engine for one utterance. */
export interface EngineIO {
  /** Aborted when the utterance is stopped, interrupted or finished: engines release everything then. */
  readonly signal: AbortSignal
  /** The playback rate at the start (later changes arrive through `EngineSession.rate`). */
  readonly rate: number
  /** The player's one audio element (kept across utterances, so an unlocked element stays unlocked). */
  audio(): HTMLAudioElement
  /** The player's AudioContext and the gain node (volume) engines connect to. */
  context(): [AudioContext, AudioNode]
  /** The next chunk of the stream; undefined at its end, also after a broken stream (the player remembers why). */
  read(): Promise<Uint8Array | undefined>
  /** Marks the utterance failed (truncated, no audio) without stopping what was received from playing. */
  fail(reason: string): void
  /** Audio is ready: `begin` starts output (`audio.play()`, `context.resume()`); the player calls it again after a pause or a refusal. */
  start(begin: () => Promise<unknown>): void
  /** Audio is audible (at `at`, a `performance.now()` time, if known more precisely than now). */
  playing(at?: number): void
  /** Output stalls waiting for data. */
  waiting(): void
}

export interface EngineSession {
  /** Settles when everything received has played, or rejects (a VoiceError, or the abort reason). */
  done: Promise<void>
  /** [currentTime, bufferedFrom, bufferedUntil] in seconds of this utterance. */
  time(): [number, number, number]
  /** Playback rate changed (engines on the audio element get it from the element). */
  rate?(rate: number): void
}

export interface Engine {
  id: PlaybackEngine
  /** Feature detection for a (lower-case) mime type. */
  supports(mime: string): boolean
  start(io: EngineIO, mime: string): EngineSession
}
