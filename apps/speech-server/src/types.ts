// Shared shapes: what a route answers (a Reply), and what a provider's wire format must be able to say.
import type { IncomingMessage } from 'node:http'
import type { SpeechToText } from './engines/stt.ts'
import type { TextToSpeech } from './engines/tts.ts'
import type { RealtimeTokens } from './realtime/tokens.ts'

/** A JSON answer: `body` is serialised as is (`null` gives the body `null`). */
export interface JsonReply {
  kind: 'json'
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** A small non-JSON answer (OpenAI `response_format: text`, plain-text errors, a garbage body). */
export interface TextReply {
  kind: 'text'
  status: number
  contentType: string
  body: string | Uint8Array
}

/** A streamed answer: each chunk is written as soon as it is produced (chunked transfer encoding). */
export interface StreamReply {
  kind: 'stream'
  status: number
  contentType: string
  chunks: AsyncIterable<Uint8Array>
}

export type Reply = JsonReply | TextReply | StreamReply

/** Everything the server reports about what it is doing, for logs and for tests that must not guess timings. */
export type SpeechServerEvent =
  | { type: 'request'; id: number; method: string; path: string }
  | { type: 'response'; id: number; status: number; ms: number }
  | { type: 'closed'; id: number; finished: boolean }
  /** One sentence finished synthesis (`at` is `performance.now()` when Flite returned). */
  | { type: 'tts-sentence'; id: number; index: number; count: number; text: string; at: number }
  /** The MP3 of one sentence was handed to the socket (`at` is `performance.now()`). */
  | { type: 'tts-chunk-sent'; id: number; index: number; bytes: number; at: number }
  | { type: 'fault'; id: number; fault: string }
  | { type: 'error'; id: number; message: string }
  // Real-time sockets (`id` is the upgrade request's). `audioMs` is on the session's audio clock (ms of audio received).
  | { type: 'realtime-open'; id: number; protocol: 'openai' | 'elevenlabs'; at: number }
  /** An audio frame was taken in: `bytes` of audio, the clock after it. */
  | { type: 'realtime-frame'; id: number; bytes: number; audioMs: number; at: number }
  /** A commit (`by` the client, the VAD, or the uncommitted-audio limit) of the audio up to `audioMs`. */
  | { type: 'realtime-commit'; id: number; item: string; by: string; audioMs: number; at: number }
  /** An interim hypothesis that has heard the audio up to `audioMs`. */
  | { type: 'realtime-interim'; id: number; item: string; text: string; audioMs: number; at: number }
  /** A final transcript went out. */
  | { type: 'realtime-final'; id: number; item: string; text: string; at: number }
  | { type: 'realtime-close'; id: number; code: number; reason: string; at: number }

/** What a route handler gets. */
export interface RouteContext {
  id: number
  req: IncomingMessage
  /** The values of the route path's `{name}` parameters (e.g. a voice id). */
  params: Readonly<Record<string, string>>
  /** Aborted when the client goes away. */
  signal: AbortSignal
  tts: TextToSpeech
  stt: SpeechToText
  /** Ephemeral credentials for the real-time sockets (minted by the token routes). */
  tokens: RealtimeTokens
  emit: (event: SpeechServerEvent) => void
}

/** Why a request was refused before its route ran. */
export type AuthFailure = 'missing' | 'invalid'

/** A provider's wire format for the answers that are not route-specific. */
export interface ProviderErrors {
  /** 401 in the provider's own shape. */
  unauthorized(failure: AuthFailure): JsonReply
  /** Any error status in the provider's shape, with a plausible code and message (fault injection, bad requests). */
  status(status: number, message?: string): JsonReply
  /** Unknown path (404) or method (405) under the provider's prefix, as its web framework answers them. */
  routing(status: 404 | 405, method: string, path: string): JsonReply
}

export interface Route {
  method: 'POST'
  /** Exact, or a template whose `{name}` parameters each match one segment of `[A-Za-z0-9_-]{1,128}`. */
  path: string
  /** The content type of a successful answer: used by the `garbage` and `stall` faults. */
  successType: string
  handle(ctx: RouteContext): Promise<Reply>
}

/** How a provider's key is sent: `{ header: 'authorization', scheme: 'Bearer' }` (the default), `{ header: 'xi-api-key' }`. */
export interface KeyHeader {
  /** Lower-case header name. */
  header: string
  /** An auth scheme before the key (`Bearer`), matched case-insensitively; none: the header is the key. */
  scheme?: string
}

export interface Provider {
  /** The provider's id, the segment its proxy routes use (`/api/voice/{id}/…`). */
  id: string
  /** Path prefix, e.g. `/dify`. */
  prefix: string
  /** The provider's API root on this server, what a proxy's `baseUrl` for it points at, e.g. `/dify/v1`. */
  base: string
  /** How the key is sent. Default `Authorization: Bearer <key>`. */
  auth?: KeyHeader
  errors: ProviderErrors
  routes: Route[]
}

export function json(status: number, body: unknown): JsonReply {
  return { kind: 'json', status, body }
}
