// One status vocabulary: every store in core (recorder, player, sessions) says its status in these
// words, and every hook and component shows them unchanged. Each store uses the subset it can be in.

/**
 * - `idle`: nothing going on.
 * - `requesting`: waiting for the microphone (and its permission prompt).
 * - `listening`: the microphone is open, waiting for speech (hands-free start).
 * - `recording`: capturing speech. `paused`: capture or playback held by `pause()`.
 * - `stopping`: the capture is closing. `transcribing`: waiting for the text.
 * - `loading`: waiting for speech audio. `buffering`: receiving it, not audible yet (or starved).
 * - `playing`: audible. `blocked`: the browser refused to start audio until a click.
 * - `done`: finished (recorded, transcribed or played to the end). `error`: failed; see `error`.
 */
export type VoiceStatus =
  | 'idle'
  | 'requesting'
  | 'listening'
  | 'recording'
  | 'paused'
  | 'stopping'
  | 'transcribing'
  | 'loading'
  | 'buffering'
  | 'playing'
  | 'blocked'
  | 'done'
  | 'error'

/** The statuses in which a capture holds the microphone (or is about to). */
export const CAPTURING: readonly VoiceStatus[] = ['requesting', 'listening', 'recording', 'paused', 'stopping']

/** The statuses in which a capture session is busy: capturing, or waiting for its text. */
export const isCaptureBusy = (status: VoiceStatus): boolean => CAPTURING.includes(status) || status === 'transcribing'
