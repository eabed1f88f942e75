// The Fish Audio wire format, in one place: /v1/asr (msgpack or multipart: `audio`, `language`,
// `ignore_timestamps`; JSON `{text, duration, segments}`), /v1/tts (msgpack in, mp3 stream out),
// errors `{status, message}` and 422 `[{loc, type, msg}]`. The only module that loads msgpackr: an
// optional peer, loaded on first use, so an app that never speaks to Fish installs no native addon.
import type { Packr } from 'msgpackr'
import { VoiceError } from '../../errors'
import { type ErrorDecoder, isRecord, num, str, validationErrors } from '../../transport/decode'
import {
  createHttpSpeaker,
  createHttpTranscriber,
  type HttpSpeakSpec,
  type HttpTranscribeSpec,
} from '../../transport/generic'
import { badResponse, expectRecord } from '../../transport/http'
import type { HttpTransportOptions, Speaker, Transcriber, Transcript, TranscriptSegment } from '../../transport/types'
import { acceptedTypes, MP3, type UploadFormat, WAV } from '../../transport/upload'
import { FISH_MAX_UPLOAD_BYTES, FISH_SPEAK_PATH, FISH_TRANSCRIBE_PATH } from './descriptor'

const provider = 'fish'

export interface FishTransportOptions extends HttpTransportOptions {
  /** `/v1/asr` body encoding. Default `msgpack`. */
  encoding?: 'msgpack' | 'multipart'
  /** Text-to-speech model: the `model` header of `/v1/tts`. Default `s1`. */
  speechModel?: string
  /** Default voice: a voice model id (`reference_id`); `speak(text, {voice})` overrides it. */
  voice?: string
  /** `/v1/tts` latency mode. */
  latency?: 'normal' | 'balanced'
}

/** WebM is not listed by Fish: WAV or MP3. */
export const fishUploadFormats: readonly UploadFormat[] = [WAV, MP3]

export const decodeFishError: ErrorDecoder = (_status, body) => {
  if (Array.isArray(body)) return validationErrors(body)
  if (!isRecord(body)) return undefined
  if (Array.isArray(body.detail)) return validationErrors(body.detail)
  return { message: str(body.message) ?? str(body.detail) }
}

/**
 * `duration` is documented in seconds, but one SDK treats it as milliseconds. A value
 * ~1000× the last segment's end (or, without segments, longer than the bytes could
 * possibly hold at 4 kbit/s, and at least 100) is taken as milliseconds.
 */
export function fishDurationSeconds(
  duration: number | undefined,
  segments: TranscriptSegment[],
  bytes?: number,
): number | undefined {
  if (duration === undefined || duration < 0) return undefined
  const lastEnd = segments.reduce((max, segment) => Math.max(max, segment.end ?? segment.start), 0)
  if (lastEnd > 0) return duration > lastEnd * 100 ? duration / 1000 : duration
  if (bytes !== undefined && bytes > 0) {
    const ceiling = bytes / 500 + 1
    if (duration >= 100 && duration > ceiling && duration / 1000 <= ceiling) return duration / 1000
  }
  return duration
}

export function decodeFishTranscript(body: unknown, status?: number, bytes?: number): Transcript {
  const record = expectRecord(body, provider, status)
  if (typeof record.text !== 'string') throw badResponse(provider, 'fish answered without `text`', status)
  const segments: TranscriptSegment[] = []
  for (const item of Array.isArray(record.segments) ? record.segments : []) {
    if (!isRecord(item) || typeof item.text !== 'string') continue
    segments.push({ text: item.text.trim(), start: num(item.start) ?? 0, end: num(item.end) ?? null })
  }
  return {
    text: record.text.trim(),
    segments,
    durationSec: fishDurationSeconds(num(record.duration), segments, bytes),
    provider,
    raw: body,
  }
}

let packr: Promise<Packr> | undefined
/** Plain msgpack maps with string keys (no msgpackr records), bytes as bin; copied out of packr's buffer. */
async function pack(value: unknown): Promise<Uint8Array<ArrayBuffer>> {
  packr ??= import('msgpackr').then(
    ({ Packr }) => new Packr({ useRecords: false, variableMapSize: true }),
    (cause: unknown) => {
      packr = undefined // a later call tries again (after an install, or back online)
      throw msgpackrError(cause)
    },
  )
  return new Uint8Array((await packr).pack(value))
}

/** Not installed is the app's setup, named so it can be fixed; a chunk that fails to load is the network. */
function msgpackrError(cause: unknown): VoiceError {
  let notFound = false
  for (let error = cause, depth = 0; error && depth < 5; error = (error as { cause?: unknown }).cause, depth++) {
    const code = (error as { code?: unknown }).code
    const message = error instanceof Error ? error.message : String(error)
    notFound ||=
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /cannot find (module|package)/i.test(message)
  }
  if (notFound)
    return new VoiceError(
      'provider_misconfigured',
      "Fish Audio's msgpack encoding needs the msgpackr package: install it beside @voicekit/core (npm install msgpackr), or use encoding: 'multipart' for speech to text",
      { provider, cause },
    )
  return new VoiceError('network', 'The fish msgpack encoder could not be loaded', { provider, cause })
}

type FishOptions = Omit<FishTransportOptions, keyof HttpTransportOptions>

/** Speech to text: msgpack (default) or multipart; JSON back. */
export function fishTranscribeSpec(options: FishOptions): HttpTranscribeSpec {
  return {
    formats: fishUploadFormats,
    maxBytes: FISH_MAX_UPLOAD_BYTES,
    async request(upload, { language, timestamps = 'segment' }) {
      const ignoreTimestamps = timestamps === 'none'
      if (options.encoding === 'multipart') {
        const form = new FormData()
        form.append('audio', upload.blob, upload.name)
        if (language) form.append('language', language)
        form.append('ignore_timestamps', String(ignoreTimestamps))
        return { path: FISH_TRANSCRIBE_PATH, body: form }
      }
      let bytes: Uint8Array
      try {
        bytes = new Uint8Array(await upload.blob.arrayBuffer())
      } catch (error) {
        throw new VoiceError('no_audio', 'The recording could not be read', { provider, cause: error })
      }
      return {
        path: FISH_TRANSCRIBE_PATH,
        body: await pack({ audio: bytes, language: language || null, ignore_timestamps: ignoreTimestamps }),
        headers: { 'content-type': 'application/msgpack' },
      }
    },
    decode: (body, status, _options, upload) => decodeFishTranscript(body, status, upload.blob.size),
  }
}

/** Text to speech: msgpack in (the model as a header), MP3 streamed back. */
export function fishSpeakSpec(options: FishOptions): HttpSpeakSpec {
  return {
    async request(text, { voice }) {
      const referenceId = voice ?? options.voice
      return {
        path: FISH_SPEAK_PATH,
        body: await pack({
          text,
          format: 'mp3',
          ...(referenceId ? { reference_id: referenceId } : {}),
          ...(options.latency ? { latency: options.latency } : {}),
        }),
        headers: { 'content-type': 'application/msgpack', model: options.speechModel ?? 's1' },
      }
    },
  }
}

/** Fish Audio speech to text only: what a dictation app needs, without the text-to-speech code. */
export function createFishTranscriber(options: FishTransportOptions): Transcriber {
  return createHttpTranscriber(
    { provider, decodeError: decodeFishError, transcribe: fishTranscribeSpec(options) },
    options,
  )
}

/** Fish Audio text to speech only (its `input` the transcriber's, as every transport's is). */
export function createFishSpeaker(options: FishTransportOptions): Speaker {
  const speaker = createHttpSpeaker({ provider, decodeError: decodeFishError, speak: fishSpeakSpec(options) }, options)
  return { ...speaker, input: { mimeTypes: acceptedTypes(fishUploadFormats), maxBytes: FISH_MAX_UPLOAD_BYTES } }
}

/** Fish Audio both ways: speech to text and text to speech. */
export function createFishTransport(options: FishTransportOptions): Transcriber & Speaker {
  return { ...createFishTranscriber(options), speak: createFishSpeaker(options).speak }
}
