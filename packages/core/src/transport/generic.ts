// A transport for any HTTP speech API, from a small spec: how to build each request and how to read
// each answer. The built-in ElevenLabs transport is written with it, and an app can write one for a
// provider of its own (the one the proxy serves from the app's own descriptor) without forking.
import { isVoiceError, VoiceError } from '../errors'
import { type ErrorDecoder, isRecord, str } from './decode'
import { audioStreamReader, readJson, request } from './http'
import type {
  HttpTransportOptions,
  Speaker,
  SpeakOptions,
  SpeechTransport,
  TranscribeOptions,
  Transcriber,
  Transcript,
  TransportInput,
} from './types'
import { acceptedTypes, prepareUpload, type Upload, type UploadFormat } from './upload'

/** One request, below the transport's `baseUrl`. Always a POST. */
export interface HttpRequestParts {
  /** e.g. `/v1/speech-to-text`, or `/v1/text-to-speech/abc/stream?output_format=mp3_44100_128`. */
  path: string
  body: BodyInit
  /** Set after the app's headers: put the body's Content-Type here (a FormData body sets its own). */
  headers?: Record<string, string>
}

export interface HttpTranscribeSpec {
  /** What the provider accepts: the upload is checked and relabelled against these before a byte is sent. */
  formats: readonly UploadFormat[]
  maxBytes: number
  minSeconds?: number
  /**
   * Builds the request from the checked upload (`upload.blob` labelled, `upload.name` with the right
   * extension); may be async (an encoder loaded on first use, the upload's bytes read).
   */
  request(upload: Upload, options: TranscribeOptions): HttpRequestParts | Promise<HttpRequestParts>
  /** Reads a 2xx JSON answer. Throw a VoiceError (`bad_response`) for a shape that is not a transcript. */
  decode(body: unknown, status: number, options: TranscribeOptions, upload: Upload): Transcript
}

export interface HttpSpeakSpec {
  /** Builds the request for a non-empty, trimmed text; may be async. */
  request(text: string, options: SpeakOptions): HttpRequestParts | Promise<HttpRequestParts>
  /** The audio type when the answer's Content-Type says nothing useful. Default `audio/mpeg`. */
  mimeType?: string
}

export interface HttpTransportSpec {
  /** The provider id: `transport.provider`, and `error.provider` of every failure. */
  provider: string
  /** Reads an error answer; default: the message of `{message}`, `{error: {message}}`, `{detail}` shapes, code by status. */
  decodeError?: ErrorDecoder
  transcribe?: HttpTranscribeSpec
  speak?: HttpSpeakSpec
}

/** The error decoder used when a spec has none: a message from the common shapes; the code comes from the status. */
export const decodeCommonError: ErrorDecoder = (_status, body) => {
  if (!isRecord(body)) return undefined
  const { error, detail } = body
  const nested = isRecord(error) ? error : isRecord(detail) ? detail : undefined
  return { message: str(nested?.message) ?? str(error) ?? str(detail) ?? str(body.message) }
}

const inputOf = (spec: HttpTransportSpec): TransportInput =>
  spec.transcribe
    ? {
        mimeTypes: acceptedTypes(spec.transcribe.formats),
        maxBytes: spec.transcribe.maxBytes,
        ...(spec.transcribe.minSeconds ? { minSeconds: spec.transcribe.minSeconds } : {}),
      }
    : { mimeTypes: [], maxBytes: 0 }

/**
 * A spec's functions may throw anything: only VoiceErrors leave a transport. A request builder that throws
 * is `invalid_request`; a decoder that throws is `bad_response`.
 */
async function guarded<T>(
  provider: string,
  code: 'invalid_request' | 'bad_response',
  make: () => T | Promise<T>,
  status?: number,
): Promise<T> {
  try {
    return await make()
  } catch (error) {
    if (isVoiceError(error)) throw error
    const what = code === 'bad_response' ? 'read the answer of' : 'build the request for'
    throw new VoiceError(code, `Could not ${what} ${provider}`, { provider, status, cause: error })
  }
}

/** Speech to text only, from a spec with `transcribe`. */
export function createHttpTranscriber(spec: HttpTransportSpec, options: HttpTransportOptions): Transcriber {
  const { provider, transcribe: stt } = spec
  if (!stt) throw new TypeError(`createHttpTranscriber: the ${provider} spec has no transcribe`)
  const input = inputOf(spec)
  const decodeError = spec.decodeError ?? decodeCommonError
  return {
    provider,
    input,
    async transcribe(audio, callOptions = {}) {
      const upload = prepareUpload(provider, audio, input, stt.formats)
      const parts = await guarded(provider, 'invalid_request', () => stt.request(upload, callOptions))
      return request({
        provider,
        options,
        ...parts,
        signal: callOptions.signal,
        decodeError,
        read: async (response) => {
          const body = await readJson(response, provider)
          return guarded(
            provider,
            'bad_response',
            () => stt.decode(body, response.status, callOptions, upload),
            response.status,
          )
        },
      })
    },
  }
}

/** Text to speech only, from a spec with `speak`. */
export function createHttpSpeaker(spec: HttpTransportSpec, options: HttpTransportOptions): Speaker {
  const { provider, speak: tts } = spec
  if (!tts) throw new TypeError(`createHttpSpeaker: the ${provider} spec has no speak`)
  const decodeError = spec.decodeError ?? decodeCommonError
  return {
    provider,
    input: inputOf(spec),
    async speak(text, callOptions = {}) {
      const words = typeof text === 'string' ? text.trim() : ''
      if (!words) throw new VoiceError('invalid_request', 'Nothing to speak', { provider })
      const parts = await guarded(provider, 'invalid_request', () => tts.request(words, callOptions))
      return request({
        provider,
        options,
        ...parts,
        signal: callOptions.signal,
        decodeError,
        read: audioStreamReader(provider, tts.mimeType ?? 'audio/mpeg', callOptions.signal),
      })
    },
  }
}

/** Both ways, or whichever the spec has. */
export function createHttpTransport(spec: HttpTransportSpec, options: HttpTransportOptions): SpeechTransport {
  return {
    provider: spec.provider,
    input: inputOf(spec),
    ...(spec.transcribe ? { transcribe: createHttpTranscriber(spec, options).transcribe } : {}),
    ...(spec.speak ? { speak: createHttpSpeaker(spec, options).speak } : {}),
  }
}
