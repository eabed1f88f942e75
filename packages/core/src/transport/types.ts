import type { StreamingTranscriptionOptions, StreamingTranscriptionSession } from './streaming'

/** What a transport accepts as upload. The recorder uses it to decide whether to transcode. */
export interface TransportInput {
  /** Blob types (without parameters, lowercase) that `transcribe` accepts as they are. */
  readonly mimeTypes: readonly string[]
  /** Largest accepted recording, in bytes. */
  readonly maxBytes: number
  /** Shortest recording the provider handles reliably, in seconds. */
  readonly minSeconds?: number
}

export interface TranscribeOptions {
  signal?: AbortSignal
  /** BCP-47 / ISO-639-1 hint, where the provider takes one. */
  language?: string
  /** Default `segment`. */
  timestamps?: 'none' | 'segment' | 'word'
}

export interface SpeakOptions {
  signal?: AbortSignal
  voice?: string
  /** Speak a stored message instead of `text` (Dify). */
  messageId?: string
}

export interface TranscriptSegment {
  text: string
  /** Seconds from the start of the recording. */
  start: number
  /** Seconds; `null` when the provider did not say (e.g. Livepeer's last chunk). */
  end: number | null
}

/** One word with its time: what OpenAI's `words`, Livepeer's word chunks and ElevenLabs' `words` carry. */
export interface TranscriptWord {
  text: string
  /** Seconds from the start of the recording. */
  start: number
  /** Seconds; `null` when the provider did not say. */
  end: number | null
}

export interface Transcript {
  text: string
  segments: TranscriptSegment[]
  /** Word timestamps, when the provider gave them (ask with `timestamps: 'word'`). */
  words?: TranscriptWord[]
  durationSec?: number
  language?: string
  provider: string
  /** The provider's decoded response, untouched. */
  raw: unknown
}

export interface AudioStream {
  /** Normalised, without parameters: `audio/mpeg`, `audio/wav`, ... */
  mimeType: string
  body: ReadableStream<Uint8Array>
}

/**
 * The extension point: every provider implements it, and so can an app. Methods
 * only ever reject with a `VoiceError`.
 */
export interface SpeechTransport {
  readonly provider: string
  readonly input: TransportInput
  transcribe?(audio: Blob, options?: TranscribeOptions): Promise<Transcript>
  speak?(text: string, options?: SpeakOptions): Promise<AudioStream>
  /** Real-time transcription over a socket (see `StreamingTranscriber`); dictation uses it when present. */
  openTranscriptionStream?(options: StreamingTranscriptionOptions): Promise<StreamingTranscriptionSession>
}

/** A transport that transcribes (a provider's `create…Transcriber`, or its `create…Transport`). */
export type Transcriber = SpeechTransport & Required<Pick<SpeechTransport, 'transcribe'>>
/** A transport that speaks (a provider's `create…Speaker`, or its `create…Transport`). */
export type Speaker = SpeechTransport & Required<Pick<SpeechTransport, 'speak'>>

/** Headers, or a function that produces them per request (e.g. a fresh CSRF token). */
export type HeadersOption = HeadersInit | (() => HeadersInit | Promise<HeadersInit>)

/** Options every built-in HTTP transport takes. */
export interface HttpTransportOptions {
  /** The app's proxy route for this provider, e.g. `/api/voice/dify`. No key is ever added here. */
  baseUrl: string
  /** Sent with every request (cookies/CSRF for your proxy). The transport adds no Authorization. */
  headers?: HeadersOption
  /** A fetch implementation; defaults to the global `fetch` at call time. */
  fetch?: typeof fetch
  /**
   * Milliseconds until a request fails with `timeout`: covers the upload and the whole
   * transcript, or a speech stream's first bytes (a stream that has started is not cut).
   * Default 120000; 0 disables.
   */
  timeoutMs?: number
}
