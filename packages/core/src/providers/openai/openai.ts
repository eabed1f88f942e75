// The OpenAI-compatible audio wire format, in one place: /audio/transcriptions (multipart
// `file`, `model`, `response_format`, `language`, `timestamp_granularities[]`; verbose JSON back),
// /audio/speech (JSON in, mp3 stream out), errors `{error:{message,type,param,code}}`. Real-time
// transcription (the Realtime API's transcription mode) is realtime.ts, loaded on its first use.
import type { VoiceErrorCode } from '../../errors'
import { type ErrorDecoder, isRecord, lookup, num, str } from '../../transport/decode'
import {
  createHttpSpeaker,
  createHttpTranscriber,
  type HttpSpeakSpec,
  type HttpTranscribeSpec,
} from '../../transport/generic'
import { badResponse, expectRecord } from '../../transport/http'
import type { StreamingTranscriber } from '../../transport/streaming'
import { withTranscriptionStream } from '../../transport/streaming-lazy'
import type { StreamingSocketOptions } from '../../transport/streaming-options'
import type { HttpTransportOptions, Speaker, Transcriber, Transcript, TranscriptSegment } from '../../transport/types'
import { acceptedTypes, MP3, type UploadFormat, uploadFormat, WAV } from '../../transport/upload'
import { OPENAI_MAX_UPLOAD_BYTES, OPENAI_SPEAK_PATH, OPENAI_TRANSCRIBE_PATH } from './descriptor'

const provider = 'openai'

/** The provider's own options, without the transport's (`baseUrl`, `headers`, …). */
type OpenAIOptions = Omit<OpenAITransportOptions, keyof HttpTransportOptions>

export interface OpenAITransportOptions extends HttpTransportOptions {
  /** Speech-to-text model (`model` of /audio/transcriptions). Default `whisper-1`. */
  transcriptionModel?: string
  /** Text-to-speech model (`model` of /audio/speech). Default `tts-1`. */
  speechModel?: string
  /** Default voice; `speak(text, {voice})` overrides it. Default `alloy`. */
  voice?: string
  /**
   * Real-time transcription (`openTranscriptionStream`), over the Realtime API's transcription mode. `true`:
   * through the proxy's relay at `${baseUrl}/realtime`, with the defaults of `OpenAIRealtimeOptions`.
   */
  realtime?: boolean | OpenAIRealtimeOptions
}

/** How the Realtime API finds the end of an utterance by itself (its `turn_detection`). */
export type OpenAITurnDetection =
  | { type: 'server_vad'; threshold?: number; prefixPaddingMs?: number; silenceDurationMs?: number }
  | { type: 'semantic_vad'; eagerness?: 'low' | 'medium' | 'high' | 'auto' }

export interface OpenAIRealtimeOptions extends StreamingSocketOptions {
  /**
   * Where the socket goes. Default `{ relay: `${baseUrl}/realtime` }`; `{ token: true }` fetches an ephemeral
   * secret from `${baseUrl}/realtime/client_secrets` for each socket and connects to
   * `wss://api.openai.com/v1/realtime` (or `url`).
   */
  connection?: StreamingSocketOptions['connection']
  /** The session's transcription model. Default `gpt-4o-transcribe` (the HTTP `transcriptionModel` is not used). */
  transcriptionModel?: string
  /** A prompt for the transcription model (spellings, context). */
  prompt?: string
  /**
   * `null` (default): utterances end where the app commits (dictation commits at its pauses). Server or
   * semantic VAD: the provider commits by itself as well, and reports speech started / stopped.
   */
  turnDetection?: OpenAITurnDetection | null
  /** The input's noise reduction; default none. */
  noiseReduction?: 'near_field' | 'far_field'
}

/** The OpenAI transcriber with `realtime` set: it also streams. */
export type OpenAIRealtimeTransportOptions = OpenAITransportOptions & { realtime: true | OpenAIRealtimeOptions }

/** The server picks the decoder from the file name's extension, so each format has its own. */
export const openaiUploadFormats: readonly UploadFormat[] = [
  WAV,
  MP3,
  /* @__PURE__ */ uploadFormat('m4a'),
  /* @__PURE__ */ uploadFormat('webm'),
  /* @__PURE__ */ uploadFormat('ogg'),
  /* @__PURE__ */ uploadFormat('flac'),
  /* @__PURE__ */ uploadFormat('mpga'),
]

const openaiErrorCodes: Readonly<Record<string, VoiceErrorCode>> = {
  invalid_api_key: 'unauthorized',
  insufficient_quota: 'quota_exceeded',
  rate_limit_exceeded: 'quota_exceeded',
  model_not_found: 'provider_misconfigured',
}

export const decodeOpenAIError: ErrorDecoder = (_status, body) => {
  if (!isRecord(body)) return undefined
  const { error } = body
  if (!isRecord(error)) return { message: str(error) ?? str(body.message) }
  const providerCode = str(error.code) ?? str(error.type)
  // An exhausted quota is answered 429 too, but waiting does not refill it.
  const retryable = providerCode === 'insufficient_quota' ? false : undefined
  return { code: lookup(openaiErrorCodes, providerCode), providerCode, message: str(error.message), retryable }
}

function timed(list: unknown, key: 'text' | 'word'): TranscriptSegment[] {
  const segments: TranscriptSegment[] = []
  for (const item of Array.isArray(list) ? list : []) {
    if (!isRecord(item) || typeof item[key] !== 'string') continue
    segments.push({ text: (item[key] as string).trim(), start: num(item.start) ?? 0, end: num(item.end) ?? null })
  }
  return segments
}

export function decodeOpenAITranscript(body: unknown, status?: number, word = false): Transcript {
  const record = expectRecord(body, provider, status)
  if (typeof record.text !== 'string') throw badResponse(provider, 'openai answered without `text`', status)
  const words = word ? timed(record.words, 'word') : []
  return {
    text: record.text.trim(),
    segments: words.length ? words : timed(record.segments, 'text'),
    ...(words.length ? { words: words.map((w) => ({ ...w })) } : {}),
    durationSec: num(record.duration),
    language: str(record.language),
    provider,
    raw: body,
  }
}

/** Speech to text: multipart with `verbose_json`, so segments (and words, when asked) come back. */
export function openaiTranscribeSpec(options: OpenAIOptions): HttpTranscribeSpec {
  return {
    formats: openaiUploadFormats,
    maxBytes: OPENAI_MAX_UPLOAD_BYTES,
    request(upload, { language, timestamps = 'segment' }) {
      const form = new FormData()
      form.append('file', upload.blob, upload.name)
      form.append('model', options.transcriptionModel ?? 'whisper-1')
      form.append('response_format', 'verbose_json')
      if (language) form.append('language', language)
      if (timestamps === 'segment' || timestamps === 'word') form.append('timestamp_granularities[]', timestamps)
      return { path: OPENAI_TRANSCRIBE_PATH, body: form }
    },
    decode: (body, status, { timestamps }) => decodeOpenAITranscript(body, status, timestamps === 'word'),
  }
}

/** Text to speech: JSON in, MP3 streamed back. */
export function openaiSpeakSpec(options: OpenAIOptions): HttpSpeakSpec {
  return {
    request: (text, { voice }) => ({
      path: OPENAI_SPEAK_PATH,
      body: JSON.stringify({
        model: options.speechModel ?? 'tts-1',
        input: text,
        voice: voice ?? options.voice ?? 'alloy',
        response_format: 'mp3',
      }),
      headers: { 'content-type': 'application/json' },
    }),
  }
}

/**
 * OpenAI-compatible speech to text only: what a dictation app needs, without the text-to-speech code. With
 * `realtime`, it also transcribes while audio streams (`openTranscriptionStream`, loaded on first use).
 */
export function createOpenAITranscriber(options: OpenAIRealtimeTransportOptions): Transcriber & StreamingTranscriber
export function createOpenAITranscriber(options: OpenAITransportOptions): Transcriber
export function createOpenAITranscriber(options: OpenAITransportOptions): Transcriber {
  const transcriber = createHttpTranscriber(
    { provider, decodeError: decodeOpenAIError, transcribe: openaiTranscribeSpec(options) },
    options,
  )
  return withTranscriptionStream(
    provider,
    transcriber,
    options.realtime,
    () => import('./realtime'),
    (module, settings, stream) => module.openOpenAITranscriptionStream(options, settings, stream, decodeOpenAIError),
  )
}

/** OpenAI-compatible text to speech only (its `input` the transcriber's, as every transport's is). */
export function createOpenAISpeaker(options: OpenAITransportOptions): Speaker {
  const speaker = createHttpSpeaker(
    { provider, decodeError: decodeOpenAIError, speak: openaiSpeakSpec(options) },
    options,
  )
  return { ...speaker, input: { mimeTypes: acceptedTypes(openaiUploadFormats), maxBytes: OPENAI_MAX_UPLOAD_BYTES } }
}

/** OpenAI-compatible both ways: speech to text and text to speech (and real-time transcription with `realtime`). */
export function createOpenAITransport(
  options: OpenAIRealtimeTransportOptions,
): Transcriber & Speaker & StreamingTranscriber
export function createOpenAITransport(options: OpenAITransportOptions): Transcriber & Speaker
export function createOpenAITransport(options: OpenAITransportOptions): Transcriber & Speaker {
  return { ...createOpenAITranscriber(options), speak: createOpenAISpeaker(options).speak }
}
