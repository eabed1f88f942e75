// OpenAI-compatible audio: POST /v1/audio/transcriptions and POST /v1/audio/speech (docs/providers.md). Errors are
// `{error: {message, type, param, code}}`.
import { jsonObject, readBody } from '../body.ts'
import { EngineMissingError, type Transcript, UndecodableAudioError } from '../engines/stt.ts'
import { resolveVoice } from '../engines/tts.ts'
import { formLimit, readForm } from '../form.ts'
import { applySessionUpdate, defaultInputConfig, newId, sessionObject } from '../realtime/openai.ts'
import { splitSentences } from '../sentences.ts'
import { type JsonReply, json, type Provider, type Reply, type RouteContext } from '../types.ts'
import { pcmStream, speechStream } from './speech.ts'

export const OPENAI_AUDIO_LIMIT = 25 * 1024 * 1024
export const OPENAI_FILE_FORMATS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']
const RESPONSE_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt']
const SPEECH_FORMATS = ['mp3', 'wav', 'pcm']

export function openaiError(
  status: number,
  message: string,
  type = 'invalid_request_error',
  param: string | null = null,
  code: string | null = null,
): JsonReply {
  return json(status, { error: { message, type, param, code } })
}

const missing = (param: string) =>
  openaiError(
    400,
    `Missing required parameter: '${param}'.`,
    'invalid_request_error',
    param,
    'missing_required_parameter',
  )

function byStatus(status: number, message?: string): JsonReply {
  switch (status) {
    case 401:
      return openaiError(
        401,
        message ?? 'Incorrect API key provided.',
        'invalid_request_error',
        null,
        'invalid_api_key',
      )
    case 403:
      return openaiError(403, message ?? 'You are not allowed to sample from this model.', 'invalid_request_error')
    case 404:
      return openaiError(
        404,
        message ?? 'The model does not exist or you do not have access to it.',
        'invalid_request_error',
        null,
        'model_not_found',
      )
    case 413:
      return openaiError(413, message ?? `Maximum content size limit (${OPENAI_AUDIO_LIMIT}) exceeded.`)
    case 429:
      return openaiError(
        429,
        message ?? 'Rate limit reached for requests. Please try again later.',
        'requests',
        null,
        'rate_limit_exceeded',
      )
    case 500:
      return openaiError(
        500,
        message ?? 'The server had an error while processing your request. Sorry about that!',
        'server_error',
      )
    case 502:
    case 503:
    case 504:
      return openaiError(
        status,
        message ?? 'The engine is currently overloaded, please try again later.',
        'server_error',
      )
    default:
      return openaiError(
        status,
        message ?? 'Invalid request.',
        status >= 500 ? 'server_error' : 'invalid_request_error',
      )
  }
}

async function transcriptions(ctx: RouteContext): Promise<Reply> {
  const read = await readForm(ctx.req, formLimit(OPENAI_AUDIO_LIMIT))
  if (read.kind === 'not-multipart')
    return openaiError(400, 'Could not parse multipart form: the request must be multipart/form-data.')
  const { form } = read
  const file = form.file('file')
  if (read.overflow || (file && file.data.length > OPENAI_AUDIO_LIMIT))
    return byStatus(413, `Maximum content size limit (${OPENAI_AUDIO_LIMIT}) exceeded (${read.received} bytes read)`)
  if (!form.field('model')) return openaiError(400, 'you must provide a model parameter')
  if (!file) return missing('file')
  const extension = file.filename?.split('.').pop()?.toLowerCase() ?? ''
  if (!file.filename?.includes('.') || !OPENAI_FILE_FORMATS.includes(extension))
    return openaiError(400, `Invalid file format. Supported formats: ${JSON.stringify(OPENAI_FILE_FORMATS)}`)
  const format = form.field('response_format') ?? 'json'
  if (!RESPONSE_FORMATS.includes(format))
    return openaiError(
      400,
      `Invalid value for 'response_format': '${format}'.`,
      'invalid_request_error',
      'response_format',
      'invalid_value',
    )
  const granularities = [...form.fields('timestamp_granularities[]'), ...form.fields('timestamp_granularities')]
  const unknown = granularities.find((g) => g !== 'word' && g !== 'segment')
  if (unknown !== undefined)
    return openaiError(
      400,
      `Invalid value for 'timestamp_granularities': '${unknown}'.`,
      'invalid_request_error',
      'timestamp_granularities',
      'invalid_value',
    )
  if (granularities.length > 0 && format !== 'verbose_json')
    return openaiError(
      400,
      'timestamp_granularities requires response_format=verbose_json',
      'invalid_request_error',
      'timestamp_granularities',
    )
  let transcript: Transcript
  try {
    ctx.stt.check()
    transcript = await ctx.stt.recognize(file.data, { signal: ctx.signal })
  } catch (error) {
    if (error instanceof EngineMissingError) return openaiError(500, error.message, 'server_error')
    if (error instanceof UndecodableAudioError)
      return openaiError(
        400,
        `Audio file might be corrupted or unsupported (${error.message})`,
        'invalid_request_error',
        'file',
        'invalid_value',
      )
    throw error
  }
  return formatTranscript(transcript, format, granularities)
}

export function formatTranscript(transcript: Transcript, format: string, granularities: string[]): Reply {
  const { text, duration } = transcript
  switch (format) {
    case 'text':
      return { kind: 'text', status: 200, contentType: 'text/plain; charset=utf-8', body: `${text}\n` }
    case 'srt':
    case 'vtt':
      return {
        kind: 'text',
        status: 200,
        contentType: 'text/plain; charset=utf-8',
        body: subtitles(transcript, format),
      }
    case 'verbose_json': {
      const body: Record<string, unknown> = { task: 'transcribe', language: 'english', duration, text }
      if (granularities.length === 0 || granularities.includes('segment'))
        body.segments = transcript.segments.map((s, id) => ({
          id,
          seek: 0,
          start: s.start,
          end: s.end,
          text: ` ${s.text}`,
          tokens: [],
          temperature: 0,
          avg_logprob: round(
            s.words.reduce((sum, w) => sum + Math.log(Math.max(w.confidence, 1e-6)), 0) / s.words.length,
          ),
          compression_ratio: 1,
          no_speech_prob: 0,
        }))
      if (granularities.includes('word'))
        body.words = transcript.words.map(({ word, start, end }) => ({ word, start, end }))
      return json(200, body)
    }
    default:
      return json(200, { text })
  }
}

function subtitles(transcript: Transcript, format: 'srt' | 'vtt'): string {
  const time = (seconds: number) => {
    const ms = Math.round(seconds * 1000)
    const pad = (n: number, width = 2) => String(n).padStart(width, '0')
    const clock = `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}`
    return `${clock}${format === 'srt' ? ',' : '.'}${pad(ms % 1000, 3)}`
  }
  const cues = transcript.segments.map(
    (s, i) => `${format === 'srt' ? `${i + 1}\n` : ''}${time(s.start)} --> ${time(s.end)}\n${s.text}\n`,
  )
  return format === 'srt' ? cues.join('\n') : `WEBVTT\n\n${cues.join('\n')}`
}

async function speech(ctx: RouteContext): Promise<Reply> {
  const body = await readBody(ctx.req, 1024 * 1024)
  if (body.overflow) return byStatus(413)
  const params = jsonObject(body.bytes)
  if (!params)
    return openaiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    )
  const { model, input, voice, response_format: format = 'mp3', speed = 1 } = params
  if (model === undefined) return missing('model')
  if (input === undefined) return missing('input')
  if (voice === undefined) return missing('voice')
  if (typeof input !== 'string')
    return openaiError(
      400,
      `Invalid type for 'input': expected a string, but got ${typeof input} instead.`,
      'invalid_request_error',
      'input',
      'invalid_type',
    )
  if (input.length > 4096)
    return openaiError(
      400,
      `'${input.slice(0, 20)}…' is too long - 'input'`,
      'invalid_request_error',
      'input',
      'string_above_max_length',
    )
  if (splitSentences(input).length === 0)
    return openaiError(400, "'input' has nothing to speak.", 'invalid_request_error', 'input', 'invalid_value')
  if (typeof speed !== 'number' || !(speed >= 0.25 && speed <= 4))
    return openaiError(
      400,
      `${String(speed)} is not within 0.25 and 4.0 - 'speed'`,
      'invalid_request_error',
      'speed',
      'invalid_value',
    )
  if (typeof format !== 'string' || !SPEECH_FORMATS.includes(format))
    return openaiError(
      400,
      `Invalid value for 'response_format': '${String(format)}'. This local server speaks ${SPEECH_FORMATS.join(', ')}.`,
      'invalid_request_error',
      'response_format',
      'invalid_value',
    )
  const options = { voice: resolveVoice(voice), speed }
  if (format === 'mp3')
    return {
      kind: 'stream',
      status: 200,
      contentType: 'audio/mpeg',
      chunks: speechStream(ctx, input, { ...options, files: false }),
    }
  return {
    kind: 'stream',
    status: 200,
    contentType: format === 'wav' ? 'audio/wav' : 'audio/pcm',
    chunks: pcmStream(ctx, input, { ...options, wav: format === 'wav' }),
  }
}

/** POST /v1/realtime/client_secrets: an ephemeral `ek_…` for a browser's transcription socket. */
async function clientSecrets(ctx: RouteContext): Promise<Reply> {
  const body = await readBody(ctx.req, 1024 * 1024)
  if (body.overflow) return byStatus(413)
  const params = body.bytes.length === 0 ? {} : jsonObject(body.bytes)
  if (!params)
    return openaiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    )
  let seconds = 600
  const expiresAfter = params.expires_after
  if (expiresAfter !== undefined) {
    if (typeof expiresAfter !== 'object' || expiresAfter === null || Array.isArray(expiresAfter))
      return openaiError(
        400,
        "Invalid type for 'expires_after': expected an object.",
        'invalid_request_error',
        'expires_after',
        'invalid_type',
      )
    const { anchor, seconds: requested } = expiresAfter as Record<string, unknown>
    if (anchor !== 'created_at')
      return openaiError(
        400,
        `Invalid value: '${String(anchor)}'. Supported values are: 'created_at'.`,
        'invalid_request_error',
        'expires_after.anchor',
        'invalid_value',
      )
    if (requested !== undefined) {
      if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 10 || requested > 7200)
        return openaiError(
          400,
          `Invalid 'expires_after.seconds': ${String(requested)}. Expected an integer between 10 and 7200.`,
          'invalid_request_error',
          'expires_after.seconds',
          'invalid_value',
        )
      seconds = requested
    }
  }
  const session = params.session ?? { type: 'transcription' }
  if (typeof session === 'object' && session !== null && !('type' in session)) return missing('session.type')
  const config = applySessionUpdate({ input: defaultInputConfig(), include: null }, session)
  if ('code' in config) return openaiError(400, config.message, 'invalid_request_error', config.param, config.code)
  const stored = { type: 'transcription', include: config.include, audio: { input: config.input } }
  const { value, expiresAt } = ctx.tokens.mintClientSecret(seconds, stored)
  const expires = Math.floor(expiresAt / 1000)
  return json(200, { value, expires_at: expires, session: sessionObject(newId('sess'), config, expires) })
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}

export const openai: Provider = {
  id: 'openai',
  prefix: '/openai',
  base: '/openai/v1',
  errors: {
    unauthorized: (failure) =>
      failure === 'missing'
        ? openaiError(
            401,
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          )
        : openaiError(401, 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key'),
    status: byStatus,
    routing: (status, method, path) => openaiError(status, `Invalid URL (${method} ${path.replace(/^\/openai/, '')})`),
  },
  routes: [
    {
      method: 'POST',
      path: '/openai/v1/audio/transcriptions',
      successType: 'application/json',
      handle: transcriptions,
    },
    { method: 'POST', path: '/openai/v1/audio/speech', successType: 'audio/mpeg', handle: speech },
    {
      method: 'POST',
      path: '/openai/v1/realtime/client_secrets',
      successType: 'application/json',
      handle: clientSecrets,
    },
  ],
}
