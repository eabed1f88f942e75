// The Dify wire format, in one place: /audio-to-text (multipart `file` + `user`, JSON `{text}`),
// /text-to-audio (JSON in, audio/mpeg stream out), errors `{status, code, message}`.
import { VoiceError, type VoiceErrorCode } from '../../errors'
import { type ErrorDecoder, isRecord, lookup, str } from '../../transport/decode'
import { audioStreamReader, badResponse, expectRecord, readJson, request } from '../../transport/http'
import type { HttpTransportOptions, Speaker, Transcriber, Transcript, TransportInput } from '../../transport/types'
import { acceptedTypes, prepareUpload, type UploadFormat, uploadFormat } from '../../transport/upload'
import { DIFY_MAX_UPLOAD_BYTES } from './descriptor'

const provider = 'dify'

export interface DifyTransportOptions extends HttpTransportOptions {
  /** Dify's end-user identifier, sent with every request. */
  user?: string
  /** Default voice; `speak(text, {voice})` overrides it. Default: the voice configured in the Dify app. */
  voice?: string
}

/**
 * What current Dify really accepts: the part's Content-Type must be `audio/<extension>`
 * for mp3, wav, m4a, amr or mpga (docs/providers.md); `audio/mpeg`, `audio/x-wav`,
 * `audio/mp4` are answered 415. So browser types are relabelled to Dify's spelling:
 * `audio/mpeg` → `audio/mp3`, `audio/x-wav`/`audio/wave` → `audio/wav`, `audio/mp4`
 * (Safari's AAC) and `audio/x-m4a` → `audio/m4a`. Opus in MP4 and WebM/Ogg are refused
 * here: transcode them to WAV first.
 */
export const difyUploadFormats: readonly UploadFormat[] = [
  /* @__PURE__ */ uploadFormat('wav'),
  /* @__PURE__ */ uploadFormat('mp3', 'audio/mp3'),
  /* @__PURE__ */ uploadFormat('m4a', 'audio/m4a', /opus/i),
  /* @__PURE__ */ uploadFormat('amr'),
  /* @__PURE__ */ uploadFormat('mpga'),
]

/** Dify's error codes (both API references, plus `invalid_param`). Unknown codes fall back to the status. */
export const difyErrorCodes: Readonly<Record<string, VoiceErrorCode>> = {
  app_unavailable: 'provider_misconfigured',
  no_audio_uploaded: 'no_audio',
  provider_not_support_speech_to_text: 'provider_misconfigured',
  provider_not_initialize: 'provider_misconfigured',
  provider_quota_exceeded: 'quota_exceeded',
  model_currently_not_support: 'provider_misconfigured',
  completion_request_error: 'provider_error',
  audio_too_large: 'audio_too_large',
  unsupported_audio_type: 'unsupported_audio_type',
  internal_server_error: 'provider_unavailable',
  invalid_param: 'invalid_request',
}

export const decodeDifyError: ErrorDecoder = (_status, body) => {
  if (!isRecord(body)) return undefined
  const providerCode = str(body.code)
  return { code: lookup(difyErrorCodes, providerCode), providerCode, message: str(body.message) }
}

export function decodeDifyTranscript(body: unknown, status?: number): Transcript {
  const { text } = expectRecord(body, provider, status)
  if (typeof text !== 'string') throw badResponse(provider, 'dify answered without `text`', status)
  return { text: text.trim(), segments: [], provider, raw: body }
}

const difyInput = (): TransportInput => ({
  mimeTypes: acceptedTypes(difyUploadFormats),
  maxBytes: DIFY_MAX_UPLOAD_BYTES,
})

/** Dify speech to text only: what a dictation app needs, without the text-to-speech code. */
export function createDifyTranscriber(options: DifyTransportOptions): Transcriber {
  const input = difyInput()
  return {
    provider,
    input,
    async transcribe(audio, { signal } = {}) {
      const upload = prepareUpload(provider, audio, input, difyUploadFormats)
      const form = new FormData()
      form.append('file', upload.blob, upload.name)
      if (options.user) form.append('user', options.user)
      return request({
        provider,
        options,
        path: '/audio-to-text',
        body: form,
        signal,
        decodeError: decodeDifyError,
        read: async (response) => decodeDifyTranscript(await readJson(response, provider), response.status),
      })
    },
  }
}

/** Dify text to speech only. */
export function createDifySpeaker(options: DifyTransportOptions): Speaker {
  return {
    provider,
    input: difyInput(),
    async speak(text, { signal, voice, messageId } = {}) {
      const words = typeof text === 'string' ? text.trim() : ''
      if (!messageId && !words) throw new VoiceError('invalid_request', 'Nothing to speak', { provider })
      // message_id takes priority over text at Dify; send one or the other.
      const body = {
        ...(messageId ? { message_id: messageId } : { text: words }),
        voice: voice ?? options.voice,
        user: options.user,
      }
      return request({
        provider,
        options,
        path: '/text-to-audio',
        body: JSON.stringify({ ...body, streaming: true }),
        headers: { 'content-type': 'application/json' },
        signal,
        decodeError: decodeDifyError,
        read: audioStreamReader(provider, 'audio/mpeg', signal),
      })
    },
  }
}

/** Dify both ways: speech to text and text to speech. */
export function createDifyTransport(options: DifyTransportOptions): Transcriber & Speaker {
  return { ...createDifyTranscriber(options), speak: createDifySpeaker(options).speak }
}
