// One status vocabulary: every store in core (recorder, player, sessions) says its status in these
// words, and every hook and component shows them unchanged. Each store's status type is an `Extract`
// of this one, so a word outside it does not compile.

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
