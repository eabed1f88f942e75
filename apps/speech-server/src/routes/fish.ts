// Fish Audio: POST /v1/asr, msgpack or multipart (docs/providers.md). Errors are `{status, message}` (401, 402,
// 503 …); validation errors 422 are a bare array of `{loc, type, msg}`.
import { unpack } from 'msgpackr'
import { drainBody, mediaType, readBody } from '../body.ts'
import { EngineMissingError, UndecodableAudioError } from '../engines/stt.ts'
import { formLimit, readForm } from '../form.ts'
import { type JsonReply, json, type Provider, type Reply, type RouteContext } from '../types.ts'

/** Fish's pages say 20 MB and 100 MB in different places; the stricter one. */
export const FISH_AUDIO_LIMIT = 20 * 1024 * 1024

export function fishError(status: number, message: string): JsonReply {
  return json(status, { status, message })
}

interface Issue {
  loc: string[]
  type: string
  msg: string
}

export function fishValidation(issues: Issue[]): JsonReply {
  return json(
    422,
    issues.map((issue) => ({ ...issue, in: 'body' })),
  )
}

const MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Invalid api key',
  402: 'Insufficient balance: please top up your account',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request entity too large',
  415: 'Unsupported media type',
  429: 'Too many requests, please slow down',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
  504: 'Gateway timeout',
}

function byStatus(status: number, message?: string): JsonReply {
  if (status === 422)
    return fishValidation([{ loc: ['body', 'audio'], type: 'missing', msg: message ?? 'Field required' }])
  return fishError(status, message ?? MESSAGES[status] ?? 'Error')
}

interface AsrRequest {
  audio: Uint8Array
  ignoreTimestamps: boolean
}

type Parsed = { ok: true; request: AsrRequest } | { ok: false; reply: Reply }

const TRUE = ['true', '1', 'yes', 'on', 't', 'y']
const FALSE = ['false', '0', 'no', 'off', 'f', 'n']

/** Checks the three fields the way pydantic would, reporting every problem at once. */
function validate(fields: { audio: unknown; language: unknown; ignore_timestamps: unknown }): Parsed {
  const issues: Issue[] = []
  const { audio, language, ignore_timestamps: ignore } = fields
  if (audio === undefined || audio === null)
    issues.push({ loc: ['body', 'audio'], type: 'missing', msg: 'Field required' })
  else if (!(audio instanceof Uint8Array))
    issues.push({ loc: ['body', 'audio'], type: 'bytes_type', msg: 'Input should be a valid bytes' })
  if (language !== undefined && language !== null && typeof language !== 'string')
    issues.push({ loc: ['body', 'language'], type: 'string_type', msg: 'Input should be a valid string' })
  let ignoreTimestamps = true
  if (typeof ignore === 'boolean') ignoreTimestamps = ignore
  else if (typeof ignore === 'string' && TRUE.includes(ignore.trim().toLowerCase())) ignoreTimestamps = true
  else if (typeof ignore === 'string' && FALSE.includes(ignore.trim().toLowerCase())) ignoreTimestamps = false
  else if (ignore !== undefined)
    issues.push({
      loc: ['body', 'ignore_timestamps'],
      type: typeof ignore === 'string' ? 'bool_parsing' : 'bool_type',
      msg:
        typeof ignore === 'string'
          ? 'Input should be a valid boolean, unable to interpret input'
          : 'Input should be a valid boolean',
    })
  if (issues.length > 0) return { ok: false, reply: fishValidation(issues) }
  return { ok: true, request: { audio: audio as Uint8Array, ignoreTimestamps } }
}

async function parseRequest(ctx: RouteContext): Promise<Parsed> {
  const type = mediaType(ctx.req.headers['content-type'])
  if (type === 'application/msgpack' || type === 'application/x-msgpack') {
    const read = await readBody(ctx.req, FISH_AUDIO_LIMIT + 64 * 1024)
    if (read.overflow) return { ok: false, reply: byStatus(413, `Audio exceeds ${FISH_AUDIO_LIMIT} bytes`) }
    let value: unknown
    try {
      value = unpack(read.bytes)
    } catch {
      return { ok: false, reply: fishValidation([{ loc: ['body'], type: 'value_error', msg: 'Invalid msgpack body' }]) }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
      return {
        ok: false,
        reply: fishValidation([
          {
            loc: ['body'],
            type: 'model_attributes_type',
            msg: 'Input should be a valid dictionary or object to extract fields from',
          },
        ]),
      }
    const map = value instanceof Map ? Object.fromEntries(value) : (value as Record<string, unknown>)
    return validate({ audio: map.audio, language: map.language, ignore_timestamps: map.ignore_timestamps })
  }
  if (type === 'multipart/form-data') {
    const read = await readForm(ctx.req, formLimit(FISH_AUDIO_LIMIT))
    if (read.kind === 'not-multipart')
      return { ok: false, reply: fishValidation([{ loc: ['body', 'audio'], type: 'missing', msg: 'Field required' }]) }
    const audio = read.form.file('audio')
    if (read.overflow || (audio && audio.data.length > FISH_AUDIO_LIMIT))
      return { ok: false, reply: byStatus(413, `Audio exceeds ${FISH_AUDIO_LIMIT} bytes`) }
    return validate({
      audio: audio?.data,
      language: read.form.field('language'),
      ignore_timestamps: read.form.field('ignore_timestamps'),
    })
  }
  await drainBody(ctx.req)
  return {
    ok: false,
    reply: fishError(415, `Unsupported content type '${type}': send application/msgpack or multipart/form-data`),
  }
}

async function asr(ctx: RouteContext): Promise<Reply> {
  const parsed = await parseRequest(ctx)
  if (!parsed.ok) return parsed.reply
  const { audio, ignoreTimestamps } = parsed.request
  try {
    ctx.stt.check()
    const transcript = await ctx.stt.recognize(audio, { signal: ctx.signal })
    const segments = ignoreTimestamps ? [] : transcript.segments.map(({ text, start, end }) => ({ text, start, end }))
    return json(200, { text: transcript.text, duration: transcript.duration, segments })
  } catch (error) {
    if (error instanceof EngineMissingError) return fishError(503, error.message)
    if (error instanceof UndecodableAudioError) return fishError(400, `Failed to decode audio: ${error.message}`)
    throw error
  }
}

export const fish: Provider = {
  id: 'fish',
  prefix: '/fish',
  base: '/fish',
  errors: {
    unauthorized: (failure) => fishError(401, failure === 'missing' ? 'Missing api key' : 'Invalid api key'),
    status: byStatus,
    routing: (status) => byStatus(status),
  },
  routes: [{ method: 'POST', path: '/fish/v1/asr', successType: 'application/json', handle: asr }],
}
