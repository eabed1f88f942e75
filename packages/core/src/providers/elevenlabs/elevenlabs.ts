// The ElevenLabs wire format, in one place (see README.md beside this file for the sources):
// POST /v1/text-to-speech/{voice_id}/stream?output_format=… (JSON `{text, model_id}` in, MP3 stream out),
// POST /v1/speech-to-text (Scribe: multipart `file`, `model_id`, `language_code?`, `timestamps_granularity`;
// JSON `{text, language_code, words[{text, start, end, type}]}` back), errors `{detail: {status, message}}`,
// `{detail: "…"}` and 422 `{detail: [{loc, msg, type}]}`. Built on the generic HTTP transport. Scribe
// realtime (the `/v1/speech-to-text/realtime` socket) is realtime.ts, loaded on its first use.
import type { VoiceErrorCode } from '../../errors'
import { VoiceError } from '../../errors'
import { type ErrorDecoder, isRecord, lookup, num, str, validationErrors } from '../../transport/decode'
import { badResponse } from '../../transport/errors'
import {
  createHttpSpeaker,
  createHttpTranscriber,
  type HttpSpeakSpec,
  type HttpTranscribeSpec,
  type HttpTransportSpec,
} from '../../transport/generic'
import type { StreamingTranscriber } from '../../transport/streaming'
import { withTranscriptionStream } from '../../transport/streaming-lazy'
import type { StreamingSocketOptions } from '../../transport/streaming-options'
import type {
  HttpTransportOptions,
  Speaker,
  Transcriber,
  Transcript,
  TranscriptSegment,
  TranscriptWord,
} from '../../transport/types'
import { acceptedTypes, MP3, type UploadFormat, uploadFormat, WAV } from '../../transport/upload'
import { ELEVENLABS_MAX_UPLOAD_BYTES, ELEVENLABS_SPEAK_PATH, ELEVENLABS_TRANSCRIBE_PATH } from './descriptor'

const provider = 'elevenlabs'

export const ELEVENLABS_DEFAULT_VOICE = 'JBFqnCBsd6RMkjVDRZzb'
export const ELEVENLABS_DEFAULT_SPEECH_MODEL = 'eleven_multilingual_v2'
export const ELEVENLABS_DEFAULT_TRANSCRIPTION_MODEL = 'scribe_v2'
export const ELEVENLABS_DEFAULT_OUTPUT_FORMAT = 'mp3_44100_128'

export interface ElevenLabsTransportOptions extends HttpTransportOptions {
  /** Default voice (a voice id); `speak(text, {voice})` overrides it. */
  voice?: string
  /** Text-to-speech model (`model_id`). Default `eleven_multilingual_v2`. */
  speechModel?: string
  /** Speech-to-text (Scribe) model (`model_id`). Default `scribe_v2`. */
  transcriptionModel?: string
  /** An MP3 `output_format` (`mp3_<rate>_<kbit/s>`). Default `mp3_44100_128`. */
  outputFormat?: `mp3_${string}`
  /**
   * Real-time transcription (`openTranscriptionStream`) with Scribe realtime. `true`: through the proxy's
   * relay at `${baseUrl}/v1/speech-to-text/realtime`, with the defaults of `ElevenLabsRealtimeOptions`.
   */
  realtime?: boolean | ElevenLabsRealtimeOptions
}

export interface ElevenLabsRealtimeOptions extends StreamingSocketOptions {
  /**
   * Where the socket goes. Default `{ relay: `${baseUrl}/v1/speech-to-text/realtime` }`; `{ token: true }`
   * fetches a single-use token from `${baseUrl}/v1/single-use-token/realtime_scribe` for each socket and
   * connects to `wss://api.elevenlabs.io/v1/speech-to-text/realtime` (or `url`).
   */
  connection?: StreamingSocketOptions['connection']
  /** The realtime model (`model_id`). Default `scribe_v2_realtime` (the HTTP `transcriptionModel` is not used). */
  transcriptionModel?: string
  /**
   * `manual` (default): utterances end where the app commits (dictation commits at its pauses); `vad`: the
   * provider also commits at the pauses it hears.
   */
  commitStrategy?: 'manual' | 'vad'
  /** With `commitStrategy: 'vad'`: the provider's VAD settings (`vad_*`, `min_*` query parameters). */
  vad?: {
    silenceThresholdSecs?: number
    threshold?: number
    minSpeechDurationMs?: number
    minSilenceDurationMs?: number
  }
  /** Word timestamps on finals (`include_timestamps`). Default true. */
  timestamps?: boolean
}

/** The ElevenLabs transcriber with `realtime` set: it also streams. */
export type ElevenLabsRealtimeTransportOptions = ElevenLabsTransportOptions & {
  realtime: true | ElevenLabsRealtimeOptions
}

/** Scribe decodes "all major audio and video formats": the browsers' own recordings go as they are. */
export const elevenlabsUploadFormats: readonly UploadFormat[] = [
  WAV,
  MP3,
  /* @__PURE__ */ uploadFormat('m4a'),
  /* @__PURE__ */ uploadFormat('webm'),
  /* @__PURE__ */ uploadFormat('ogg'),
  /* @__PURE__ */ uploadFormat('flac'),
]

/** ElevenLabs' `detail.status` values. Unknown ones fall back to the HTTP status. */
export const elevenlabsErrorCodes: Readonly<Record<string, VoiceErrorCode>> = {
  invalid_api_key: 'unauthorized',
  missing_api_key: 'unauthorized',
  detected_unusual_activity: 'unauthorized',
  quota_exceeded: 'quota_exceeded',
  too_many_concurrent_requests: 'quota_exceeded',
  system_busy: 'provider_unavailable',
  voice_not_found: 'provider_misconfigured',
  model_not_found: 'provider_misconfigured',
  max_character_limit_exceeded: 'invalid_request',
  invalid_file: 'unsupported_audio_type',
}

export const decodeElevenLabsError: ErrorDecoder = (status, body) => {
  if (Array.isArray(body)) return validationErrors(body)
  if (!isRecord(body)) return undefined
  const { detail } = body
  if (Array.isArray(detail)) return validationErrors(detail)
  if (typeof detail === 'string') return { message: str(detail) }
  if (!isRecord(detail)) return { message: str(body.message) }
  const providerCode = str(detail.status) ?? str(detail.code)
  // A used-up character quota is answered 401: waiting does not refill it. A 429 is a rate or concurrency limit.
  const retryable = providerCode === 'quota_exceeded' ? false : undefined
  return {
    code: lookup(elevenlabsErrorCodes, providerCode) ?? (status === 422 ? 'invalid_request' : undefined),
    providerCode,
    message: str(detail.message) ?? str(detail.msg),
    retryable,
  }
}

const SENTENCE_END = /[.!?…。！？]["')\]]*$/

/** Scribe's `words[]`: the `word` items with their times, and sentences built from them (spacing kept). */
export function decodeElevenLabsTranscript(body: unknown, status: number, wordSegments = false): Transcript {
  if (!isRecord(body)) throw badResponse(provider, 'elevenlabs answered with an unexpected body', status)
  if (typeof body.text !== 'string') throw badResponse(provider, 'elevenlabs answered without `text`', status)
  const words: TranscriptWord[] = []
  const sentences: TranscriptSegment[] = []
  let sentence: { text: string; start: number; end: number | null } | undefined
  for (const item of Array.isArray(body.words) ? body.words : []) {
    if (!isRecord(item) || typeof item.text !== 'string') continue
    const type = str(item.type) ?? 'word'
    if (type === 'spacing') {
      if (sentence) sentence.text += item.text
      continue
    }
    if (type !== 'word') continue // audio events such as "(laughter)" are not words
    const word = { text: item.text.trim(), start: num(item.start) ?? 0, end: num(item.end) ?? null }
    if (!word.text) continue
    words.push(word)
    if (sentence) {
      sentence.text += item.text
      sentence.end = word.end
    } else sentence = { text: item.text, start: word.start, end: word.end }
    if (SENTENCE_END.test(word.text)) {
      sentences.push({ ...sentence, text: sentence.text.trim() })
      sentence = undefined
    }
  }
  if (sentence) sentences.push({ ...sentence, text: sentence.text.trim() })
  return {
    text: body.text.trim(),
    segments: wordSegments ? words.map((word) => ({ ...word })) : sentences,
    ...(words.length ? { words } : {}),
    language: str(body.language_code),
    provider,
    raw: body,
  }
}

/** A voice id goes into the path: only what one path segment may hold, as the proxy's templates require. */
function voicePath(voice: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(voice)) {
    throw new VoiceError('invalid_request', `Not an ElevenLabs voice id: ${JSON.stringify(voice.slice(0, 40))}`, {
      provider,
    })
  }
  return voice
}

type ElevenLabsOptions = Omit<ElevenLabsTransportOptions, keyof HttpTransportOptions>

/** Scribe speech to text. */
export function elevenlabsTranscribeSpec(options: ElevenLabsOptions): HttpTranscribeSpec {
  return {
    formats: elevenlabsUploadFormats,
    maxBytes: ELEVENLABS_MAX_UPLOAD_BYTES,
    request(upload, { language, timestamps = 'segment' }) {
      const form = new FormData()
      form.append('file', upload.blob, upload.name)
      form.append('model_id', options.transcriptionModel ?? ELEVENLABS_DEFAULT_TRANSCRIPTION_MODEL)
      if (language) form.append('language_code', language)
      // Segments are built from the words, so anything but `none` asks for them.
      form.append('timestamps_granularity', timestamps === 'none' ? 'none' : 'word')
      return { path: ELEVENLABS_TRANSCRIBE_PATH, body: form }
    },
    decode: (body, status, { timestamps }) => decodeElevenLabsTranscript(body, status, timestamps === 'word'),
  }
}

/** Streamed MP3 text to speech. */
export function elevenlabsSpeakSpec(options: ElevenLabsOptions): HttpSpeakSpec {
  const format = options.outputFormat ?? ELEVENLABS_DEFAULT_OUTPUT_FORMAT
  return {
    mimeType: 'audio/mpeg',
    request(text, { voice }) {
      const id = voicePath(voice ?? options.voice ?? ELEVENLABS_DEFAULT_VOICE)
      return {
        path: `${ELEVENLABS_SPEAK_PATH.replace('{voice_id}', id)}?output_format=${encodeURIComponent(format)}`,
        body: JSON.stringify({ text, model_id: options.speechModel ?? ELEVENLABS_DEFAULT_SPEECH_MODEL }),
        headers: { 'content-type': 'application/json', accept: 'audio/mpeg' },
      }
    },
  }
}

/** The ElevenLabs wire format as a generic HTTP transport spec, both ways. */
export function elevenlabsSpec(options: ElevenLabsOptions): HttpTransportSpec {
  return {
    provider,
    decodeError: decodeElevenLabsError,
    transcribe: elevenlabsTranscribeSpec(options),
    speak: elevenlabsSpeakSpec(options),
  }
}

/**
 * ElevenLabs speech to text only (Scribe): what a dictation app needs, without the text-to-speech code. With
 * `realtime`, it also transcribes while audio streams (`openTranscriptionStream`, loaded on first use).
 */
export function createElevenLabsTranscriber(
  options: ElevenLabsRealtimeTransportOptions,
): Transcriber & StreamingTranscriber
export function createElevenLabsTranscriber(options: ElevenLabsTransportOptions): Transcriber
export function createElevenLabsTranscriber(options: ElevenLabsTransportOptions): Transcriber {
  const transcribe = elevenlabsTranscribeSpec(options)
  const transcriber = createHttpTranscriber({ provider, decodeError: decodeElevenLabsError, transcribe }, options)
  return withTranscriptionStream(
    provider,
    transcriber,
    options.realtime,
    () => import('./realtime'),
    (module, settings, stream) =>
      module.openElevenLabsTranscriptionStream(options, settings, stream, decodeElevenLabsError),
  )
}

/** ElevenLabs text to speech only, streamed as MP3 (its `input` the transcriber's, as every transport's is). */
export function createElevenLabsSpeaker(options: ElevenLabsTransportOptions): Speaker {
  const speaker = createHttpSpeaker(
    { provider, decodeError: decodeElevenLabsError, speak: elevenlabsSpeakSpec(options) },
    options,
  )
  return {
    ...speaker,
    input: { mimeTypes: acceptedTypes(elevenlabsUploadFormats), maxBytes: ELEVENLABS_MAX_UPLOAD_BYTES },
  }
}

/** ElevenLabs both ways: speech to text and text to speech (and real-time transcription with `realtime`). */
export function createElevenLabsTransport(
  options: ElevenLabsRealtimeTransportOptions,
): Transcriber & Speaker & StreamingTranscriber
export function createElevenLabsTransport(options: ElevenLabsTransportOptions): Transcriber & Speaker
export function createElevenLabsTransport(options: ElevenLabsTransportOptions): Transcriber & Speaker {
  return { ...createElevenLabsTranscriber(options), speak: createElevenLabsSpeaker(options).speak }
}
