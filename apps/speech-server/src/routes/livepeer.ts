// Livepeer AI runner/gateway: POST /audio-to-text (docs/providers.md). A FastAPI app: errors are
// `{detail: {msg}}`, validation errors 422 `{detail: [{loc, msg, type}]}`, unknown routes `{detail: 'Not Found'}`.
import { EngineMissingError, type Transcript, UndecodableAudioError } from '../engines/stt.ts'
import { formLimit, readForm } from '../form.ts'
import { type JsonReply, json, type Provider, type Reply, type RouteContext } from '../types.ts'

export const LIVEPEER_AUDIO_LIMIT = 50 * 1024 * 1024

export function livepeerError(status: number, msg: string): JsonReply {
  return json(status, { detail: { msg } })
}

export function livepeerValidation(items: { loc: (string | number)[]; msg: string; type: string }[]): JsonReply {
  return json(422, { detail: items.map((item) => ({ type: item.type, loc: item.loc, msg: item.msg, input: null })) })
}

const MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Invalid bearer token',
  403: 'Forbidden',
  404: 'Not found',
  413: 'File size exceeds limit',
  415: 'Unsupported audio format',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'No orchestrators available',
  504: 'Gateway timeout',
}

function byStatus(status: number, message?: string): JsonReply {
  if (status === 422)
    return livepeerValidation([{ loc: ['body', 'audio'], msg: message ?? 'Field required', type: 'missing' }])
  return livepeerError(status, message ?? MESSAGES[status] ?? 'Error')
}

type ReturnTimestamps = 'sentence' | 'word' | false

/** 'true' and 'sentence' → segment chunks, 'word' → word chunks, 'false' → none (case-insensitive). */
export function parseReturnTimestamps(value: string | undefined): ReturnTimestamps | undefined {
  switch ((value ?? 'true').trim().toLowerCase()) {
    case 'true':
    case 'sentence':
      return 'sentence'
    case 'word':
      return 'word'
    case 'false':
      return false
    default:
      return undefined
  }
}

/** Whisper's shape: text and chunk texts start with a space. */
export function livepeerTranscript(transcript: Transcript, timestamps: ReturnTimestamps) {
  const spaced = (text: string) => (text ? ` ${text}` : '')
  const chunks =
    timestamps === 'word'
      ? transcript.words.map((w) => ({ timestamp: [w.start, w.end], text: spaced(w.word) }))
      : timestamps === 'sentence'
        ? transcript.segments.map((s) => ({ timestamp: [s.start, s.end], text: spaced(s.text) }))
        : []
  return { text: spaced(transcript.text), chunks }
}

async function audioToText(ctx: RouteContext): Promise<Reply> {
  const read = await readForm(ctx.req, formLimit(LIVEPEER_AUDIO_LIMIT))
  if (read.kind === 'not-multipart')
    return livepeerValidation([{ loc: ['body', 'audio'], msg: 'Field required', type: 'missing' }])
  const { form } = read
  const audio = form.file('audio')
  if (!audio) {
    if (read.overflow) return byStatus(413)
    return livepeerValidation([{ loc: ['body', 'audio'], msg: 'Field required', type: 'missing' }])
  }
  if (audio.filename === undefined)
    return livepeerValidation([
      { loc: ['body', 'audio'], msg: "Value error, Expected UploadFile, received: <class 'str'>", type: 'value_error' },
    ])
  if (read.overflow || audio.data.length > LIVEPEER_AUDIO_LIMIT) return byStatus(413)
  const timestamps = parseReturnTimestamps(form.field('return_timestamps'))
  if (timestamps === undefined)
    return livepeerError(400, `Invalid value for return_timestamps: ${form.field('return_timestamps')}`)
  const metadata = form.field('metadata')
  if (metadata !== undefined && metadata.trim() !== '') {
    try {
      JSON.parse(metadata)
    } catch {
      return livepeerError(400, 'Invalid metadata: must be a JSON string')
    }
  }
  try {
    ctx.stt.check()
    const transcript = await ctx.stt.recognize(audio.data, { signal: ctx.signal })
    return json(200, livepeerTranscript(transcript, timestamps))
  } catch (error) {
    if (error instanceof EngineMissingError) return livepeerError(500, `Pipeline not initialized: ${error.message}`)
    if (error instanceof UndecodableAudioError) return livepeerError(415, `Unsupported audio format: ${error.message}`)
    throw error
  }
}

export const livepeer: Provider = {
  id: 'livepeer',
  prefix: '/livepeer',
  base: '/livepeer',
  errors: {
    unauthorized: (failure) => livepeerError(401, failure === 'missing' ? 'Not authenticated' : 'Invalid bearer token'),
    status: byStatus,
    routing: (status) => json(status, { detail: status === 404 ? 'Not Found' : 'Method Not Allowed' }),
  },
  routes: [{ method: 'POST', path: '/livepeer/audio-to-text', successType: 'application/json', handle: audioToText }],
}
