// The streaming (real-time) transcription contract: audio frames in, interim and final text out, over
// one socket per session. A provider implements it in its own folder (OpenAI Realtime, ElevenLabs Scribe
// realtime); dictation drives it. Types only.
import type { VoiceError } from '../errors'
import type { TranscriptWord } from './types'

/**
 * What a streaming session reports, in the order the provider said it. Times are seconds on the
 * session's own clock: audio sent since the socket opened.
 */
export type StreamingTranscriptionEvent =
  /** The provider accepted the session (OpenAI `session.updated`, ElevenLabs `session_started`). */
  | { readonly type: 'ready' }
  /** The provider heard speech begin / end (OpenAI's server VAD; ElevenLabs says neither). */
  | { readonly type: 'speech-started'; readonly at?: number }
  | { readonly type: 'speech-stopped'; readonly at?: number }
  /**
   * The provider's current guess at the utterance not yet final: it replaces the previous interim
   * text (it is the whole utterance's text so far, not a delta).
   */
  | { readonly type: 'interim'; readonly text: string }
  /**
   * A committed utterance's text, once. Finals arrive in the order of the commits that caused them
   * (one final per `commit()` that had audio, and one per commit the provider made by itself).
   * `error`: the provider could not transcribe that commit's audio (OpenAI's `…transcription.failed`);
   * `text` is then '' and the audio is the caller's to send another way. A commit the provider refused
   * as too short or too soon still gets its final (''): its audio goes with the next commit.
   */
  | {
      readonly type: 'final'
      readonly text: string
      readonly words?: readonly TranscriptWord[]
      readonly error?: VoiceError
    }
  /**
   * The provider reported a failure. `fatal: false` leaves the session usable (OpenAI's most errors,
   * ElevenLabs' `commit_throttled`); `fatal: true` is followed by `closed`.
   */
  | { readonly type: 'error'; readonly error: VoiceError; readonly fatal: boolean }
  /**
   * The socket is gone. `error` is absent after a clean close the client asked for (`finish()`,
   * `close()`); otherwise it says why, in the error vocabulary (`network` for a dropped socket).
   */
  | { readonly type: 'closed'; readonly code: number; readonly reason: string; readonly error?: VoiceError }

export interface StreamingTranscriptionSession {
  /** The provider's sample rate for this session (the transport resamples the 16 kHz input to it). */
  readonly sampleRate: number
  /** 16 kHz mono float samples, as the PCM pipeline captures them. Buffered until the socket is ready. */
  send(samples: Float32Array): void
  /** Ends the current utterance: the provider transcribes what it has, and a `final` follows. */
  commit(): void
  /** Commits what is left, waits for its final (or the socket's end), then closes with 1000. */
  finish(): Promise<void>
  /** Closes at once with 1000; nothing more is reported. */
  close(): void
}

export interface StreamingTranscriptionOptions {
  readonly language?: string
  /** Aborting closes the session (and rejects `open` while it connects, with `aborted`). */
  readonly signal?: AbortSignal
  onEvent(event: StreamingTranscriptionEvent): void
}

/**
 * A transport that can also transcribe while audio streams. `openTranscriptionStream` resolves once the
 * socket is open (audio sent before `ready` is buffered); it rejects only with a VoiceError.
 */
export interface StreamingTranscriber {
  readonly provider: string
  openTranscriptionStream(options: StreamingTranscriptionOptions): Promise<StreamingTranscriptionSession>
}

/**
 * Where a browser's real-time socket goes:
 * - `{ relay: url }`: the app's own server (the proxy's relay), which adds the key. A relative or
 *   `http(s):` URL is turned into `ws(s):` on the page's origin.
 * - `{ token, url }`: straight to the provider, with a short-lived token that `token()` fetches from the
 *   app's server (the proxy's token route) for each new socket; `url` is the provider's socket URL.
 *   `token` gets the session's signal, so that aborting while it fetches stops the fetch too.
 */
export type StreamingConnection =
  | { readonly relay: string }
  | { readonly token: (signal?: AbortSignal) => Promise<string>; readonly url: string }
