// The Livepeer AI wire format, in one place: /audio-to-text multipart (`audio`, `model_id`,
// `return_timestamps`, `metadata`), JSON `{text, chunks[{timestamp:[start,end], text}]}`,
// errors `{detail:{msg}}`, 422 `{detail:[{loc,msg,type}]}`, gateway `{error:{message}}`, plain text.
import { type ErrorDecoder, isRecord, lookup, num, str, validationErrors } from '../../transport/decode'
import { createHttpTranscriber, type HttpTransportSpec } from '../../transport/generic'
import { badResponse, expectRecord } from '../../transport/http'
import type { HttpTransportOptions, Transcriber, Transcript, TranscriptSegment } from '../../transport/types'
import { MP3, type UploadFormat, WAV } from '../../transport/upload'
import { LIVEPEER_MAX_UPLOAD_BYTES, LIVEPEER_TRANSCRIBE_PATH } from './descriptor'

const provider = 'livepeer'

export const LIVEPEER_DEFAULT_TRANSCRIPTION_MODEL = 'openai/whisper-large-v3'

export interface LivepeerTransportOptions extends HttpTransportOptions {
  /** Speech-to-text model (`model_id`, a Hugging Face id); gateways treat it as required. Default `openai/whisper-large-v3`. */
  transcriptionModel?: string
  /** Sent as the `metadata` field (a JSON string) when given. */
  metadata?: Record<string, unknown>
}

/** WAV and MP3 only: the gateway must find the duration first, so WebM without one, and Ogg, are rejected. */
export const livepeerUploadFormats: readonly UploadFormat[] = [WAV, MP3]

const returnTimestamps = { none: 'false', segment: 'true', word: 'word' } as const

export const decodeLivepeerError: ErrorDecoder = (_status, body) => {
  if (Array.isArray(body)) return validationErrors(body)
  if (!isRecord(body)) return undefined
  const { detail, error } = body
  if (Array.isArray(detail)) return validationErrors(detail)
  if (isRecord(detail)) return { message: str(detail.msg) ?? str(detail.message) }
  if (typeof detail === 'string') return { message: str(detail) }
  if (isRecord(error)) return { message: str(error.message), providerCode: str(error.code) ?? str(error.type) }
  return { message: str(error) ?? str(body.message) }
}

export function decodeLivepeerTranscript(body: unknown, status?: number, word = false): Transcript {
  const { text, chunks } = expectRecord(body, provider, status)
  if (typeof text !== 'string') throw badResponse(provider, 'livepeer answered without `text`', status)
  const segments: TranscriptSegment[] = []
  for (const chunk of Array.isArray(chunks) ? chunks : []) {
    if (!isRecord(chunk) || typeof chunk.text !== 'string') continue
    const [start, end] = Array.isArray(chunk.timestamp) ? chunk.timestamp : []
    segments.push({ text: chunk.text.trim(), start: num(start) ?? 0, end: num(end) ?? null })
  }
  // With `return_timestamps: word` each chunk is one word.
  const words = word && segments.length ? { words: segments.map((s) => ({ ...s })) } : {}
  return { text: text.trim(), segments, ...words, provider, raw: body }
}

/** The Livepeer wire format as a generic HTTP transport spec. */
export function livepeerSpec(options: Omit<LivepeerTransportOptions, keyof HttpTransportOptions>): HttpTransportSpec {
  return {
    provider,
    decodeError: decodeLivepeerError,
    transcribe: {
      formats: livepeerUploadFormats,
      maxBytes: LIVEPEER_MAX_UPLOAD_BYTES,
      minSeconds: 1,
      request(upload, { timestamps = 'segment' }) {
        const form = new FormData()
        form.append('audio', upload.blob, upload.name)
        form.append('model_id', options.transcriptionModel ?? LIVEPEER_DEFAULT_TRANSCRIPTION_MODEL)
        form.append('return_timestamps', lookup(returnTimestamps, timestamps) ?? 'true')
        if (options.metadata) form.append('metadata', JSON.stringify(options.metadata))
        return { path: LIVEPEER_TRANSCRIBE_PATH, body: form }
      },
      decode: (body, status, { timestamps }) => decodeLivepeerTranscript(body, status, timestamps === 'word'),
    },
  }
}

/** Livepeer speech to text (it has no text to speech). */
export function createLivepeerTransport(options: LivepeerTransportOptions): Transcriber {
  return createHttpTranscriber(livepeerSpec(options), options)
}
