// Dify's service API: POST /v1/audio-to-text and POST /v1/text-to-audio (docs/providers.md).
// Errors are `{code, message, status}`.
import { jsonObject, readBody } from '../body.ts'
import { EngineMissingError, UndecodableAudioError } from '../engines/stt.ts'
import { resolveVoice } from '../engines/tts.ts'
import { formLimit, readForm } from '../form.ts'
import { splitSentences } from '../sentences.ts'
import { type JsonReply, json, type Provider, type Reply, type RouteContext } from '../types.ts'
import { difyChatRoute } from './dify-chat.ts'
import { speechStream } from './speech.ts'

export const DIFY_AUDIO_LIMIT = 30 * 1024 * 1024
/** Current Dify compares the part's Content-Type (lowercased, no parameters) with `audio/<extension>`. */
export const DIFY_AUDIO_TYPES = ['mp3', 'wav', 'm4a', 'amr', 'mpga'].map((ext) => `audio/${ext}`)

export function difyError(status: number, code: string, message: string): JsonReply {
  return json(status, { code, message, status })
}

const PROVIDER_NOT_INITIALIZE =
  'No valid model provider credentials found. Please go to Settings -> Model Provider to complete your provider credentials.'

const BY_STATUS: Record<number, [string, string]> = {
  400: ['invalid_param', 'Invalid parameter.'],
  401: ['unauthorized', 'Access token is invalid'],
  403: ['forbidden', "You don't have the permission to access the requested resource."],
  404: ['not_found', 'The requested URL was not found on the server.'],
  405: ['method_not_allowed', 'The method is not allowed for the requested URL.'],
  413: ['audio_too_large', 'Audio size exceeded.'],
  415: ['unsupported_audio_type', 'Audio type not allowed.'],
  429: ['too_many_requests', 'Too many requests. Please try again later.'],
  500: ['internal_server_error', 'Internal server error.'],
  502: ['bad_gateway', 'Bad gateway.'],
  503: ['service_unavailable', 'Service unavailable.'],
  504: ['gateway_timeout', 'Gateway timeout.'],
}

function byStatus(status: number, message?: string): JsonReply {
  const [code, fallback] = BY_STATUS[status] ?? [status >= 500 ? 'internal_server_error' : 'bad_request', 'Error.']
  return difyError(status, code, message ?? fallback)
}

async function audioToText(ctx: RouteContext): Promise<Reply> {
  const read = await readForm(ctx.req, formLimit(DIFY_AUDIO_LIMIT))
  if (read.kind === 'not-multipart') return difyError(400, 'no_audio_uploaded', 'Please upload your audio.')
  const file = read.form.file('file')
  if (!file) {
    if (read.overflow) return byStatus(413)
    return difyError(400, 'no_audio_uploaded', 'Please upload your audio.')
  }
  // Type before size, as Dify does: a 40 MB WebM is a 415.
  const type = (file.contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (!DIFY_AUDIO_TYPES.includes(type)) return byStatus(415)
  if (read.overflow || file.data.length > DIFY_AUDIO_LIMIT) return byStatus(413)
  if (!file.complete || file.data.length === 0) return difyError(400, 'no_audio_uploaded', 'Please upload your audio.')
  try {
    ctx.stt.check()
    const transcript = await ctx.stt.recognize(file.data, { signal: ctx.signal })
    return json(200, { text: transcript.text })
  } catch (error) {
    if (error instanceof EngineMissingError)
      return difyError(400, 'provider_not_initialize', `${PROVIDER_NOT_INITIALIZE} (${error.message})`)
    if (error instanceof UndecodableAudioError)
      return difyError(400, 'completion_request_error', `[speech-server] ${error.message}`)
    throw error
  }
}

async function textToAudio(ctx: RouteContext): Promise<Reply> {
  const body = await readBody(ctx.req, 1024 * 1024)
  if (body.overflow)
    return difyError(413, 'content_too_large', 'The data value transmitted exceeds the capacity limit.')
  const params = jsonObject(body.bytes)
  if (!params)
    return difyError(400, 'bad_request', 'The browser (or proxy) sent a request that this server could not understand.')
  const { message_id: messageId, text, voice } = params
  // message_id wins over text; this server keeps no conversations, so every message_id matches nothing, and Dify
  // then answers 200 with the JSON body `null`.
  if (typeof messageId === 'string' && messageId !== '') return json(200, null)
  if (typeof text !== 'string' || text.trim() === '') return difyError(400, 'invalid_param', 'Text is required.')
  if (splitSentences(text).length === 0) return difyError(400, 'invalid_param', 'Text has nothing to speak.')
  return {
    kind: 'stream',
    status: 200,
    contentType: 'audio/mpeg',
    chunks: speechStream(ctx, text, { voice: resolveVoice(voice), files: true }),
  }
}

export const dify: Provider = {
  id: 'dify',
  prefix: '/dify',
  base: '/dify/v1',
  errors: {
    unauthorized: (failure) =>
      difyError(
        401,
        'unauthorized',
        failure === 'missing'
          ? "Authorization header must be provided and start with 'Bearer'"
          : 'Access token is invalid',
      ),
    status: byStatus,
    routing: (status) => byStatus(status),
  },
  routes: [
    { method: 'POST', path: '/dify/v1/audio-to-text', successType: 'application/json', handle: audioToText },
    { method: 'POST', path: '/dify/v1/text-to-audio', successType: 'audio/mpeg', handle: textToAudio },
    difyChatRoute,
  ],
}
