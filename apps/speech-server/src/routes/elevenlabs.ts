// ElevenLabs: POST /v1/speech-to-text (Scribe) and POST /v1/text-to-speech/{voice_id}/stream (docs/providers.md).
// The key comes in `xi-api-key`. A FastAPI app: errors are `{detail: {status, message}}`, validation errors 422
// `{detail: [{type, loc, msg, input}]}`, unknown routes `{detail: 'Not Found'}`.
import { drainBody, jsonObject, readBody } from '../body.ts'
import { EngineMissingError, type Transcript, UndecodableAudioError } from '../engines/stt.ts'
import { resolveVoice } from '../engines/tts.ts'
import { formLimit, readForm } from '../form.ts'
import { splitSentences } from '../sentences.ts'
import { type JsonReply, json, type Provider, type Reply, type RouteContext } from '../types.ts'
import { speechStream } from './speech.ts'

/** Scribe's files must be "less than 3.0 GB". */
export const ELEVENLABS_AUDIO_LIMIT = 3_000_000_000
/** The longest text of one request (eleven_multilingual_v2's limit). */
export const ELEVENLABS_TEXT_LIMIT = 10_000
export const ELEVENLABS_STT_MODELS = ['scribe_v1', 'scribe_v1_experimental', 'scribe_v2']
const GRANULARITIES = ['none', 'word', 'character']
/** The MP3 output formats (`mp3_<rate>_<kbit/s>`); this server encodes one MP3 whatever the numbers say. */
export const ELEVENLABS_MP3_FORMATS = [
  'mp3_22050_32',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'mp3_44100_128',
  'mp3_44100_192',
]

export function elevenlabsError(status: number, code: string, message: string): JsonReply {
  return json(status, { detail: { status: code, message } })
}

export function elevenlabsValidation(items: { loc: (string | number)[]; msg: string; type: string }[]): JsonReply {
  return json(422, { detail: items.map((item) => ({ type: item.type, loc: item.loc, msg: item.msg, input: null })) })
}

const missing = (field: string) =>
  elevenlabsValidation([{ loc: ['body', field], msg: 'Field required', type: 'missing' }])

const BY_STATUS: Record<number, [string, string]> = {
  400: ['bad_request', 'Bad request.'],
  401: ['invalid_api_key', 'Invalid API key'],
  402: ['payment_required', 'This feature requires a paid subscription.'],
  403: ['forbidden', 'You do not have access to this resource.'],
  404: ['not_found', 'Not found.'],
  413: ['file_too_large', 'The uploaded file is too large.'],
  415: ['unsupported_media_type', 'The uploaded file type is not supported.'],
  429: ['too_many_concurrent_requests', 'Too many concurrent requests for your subscription.'],
  500: ['internal_server_error', 'An internal server error occurred.'],
  502: ['bad_gateway', 'Bad gateway.'],
  503: ['system_busy', 'The system is experiencing heavy traffic, please try again.'],
  504: ['gateway_timeout', 'Gateway timeout.'],
}

function byStatus(status: number, message?: string): JsonReply {
  if (status === 422)
    return elevenlabsValidation([{ loc: ['body'], msg: message ?? 'Invalid request', type: 'value_error' }])
  const [code, fallback] = BY_STATUS[status] ?? [status >= 500 ? 'internal_server_error' : 'bad_request', 'Error.']
  return elevenlabsError(status, code, message ?? fallback)
}

/** Scribe's shape: the words, with a `spacing` item between each two, times in seconds. */
export function scribeTranscript(transcript: Transcript, granularity: string) {
  const words: Record<string, unknown>[] = []
  if (granularity !== 'none') {
    for (const [index, word] of transcript.words.entries()) {
      const previous = transcript.words[index - 1]
      if (previous) words.push({ text: ' ', start: previous.end, end: word.start, type: 'spacing', logprob: 0 })
      words.push({
        text: word.word,
        start: word.start,
        end: word.end,
        type: 'word',
        logprob: Math.round(Math.log(Math.max(word.confidence, 1e-6)) * 1000) / 1000,
      })
    }
  }
  return { language_code: 'eng', language_probability: 1, text: transcript.text, words }
}

async function speechToText(ctx: RouteContext): Promise<Reply> {
  const read = await readForm(ctx.req, formLimit(ELEVENLABS_AUDIO_LIMIT))
  if (read.kind === 'not-multipart') return missing('file')
  const { form } = read
  const file = form.file('file')
  if (!file) {
    if (read.overflow) return byStatus(413)
    return missing('file')
  }
  if (read.overflow || file.data.length > ELEVENLABS_AUDIO_LIMIT) return byStatus(413)
  const model = form.field('model_id')
  if (model === undefined) return missing('model_id')
  if (!ELEVENLABS_STT_MODELS.includes(model))
    return elevenlabsValidation([
      {
        loc: ['body', 'model_id'],
        msg: `Input should be ${ELEVENLABS_STT_MODELS.map((m) => `'${m}'`).join(', ')}`,
        type: 'literal_error',
      },
    ])
  const granularity = form.field('timestamps_granularity') ?? 'word'
  if (!GRANULARITIES.includes(granularity))
    return elevenlabsValidation([
      {
        loc: ['body', 'timestamps_granularity'],
        msg: "Input should be 'none', 'word' or 'character'",
        type: 'enum',
      },
    ])
  if (file.data.length === 0) return elevenlabsError(400, 'invalid_content', 'The uploaded file is empty.')
  try {
    ctx.stt.check()
    const transcript = await ctx.stt.recognize(file.data, { signal: ctx.signal })
    return json(200, scribeTranscript(transcript, granularity))
  } catch (error) {
    if (error instanceof EngineMissingError) return elevenlabsError(500, 'internal_server_error', error.message)
    if (error instanceof UndecodableAudioError)
      return elevenlabsError(400, 'invalid_content', `The uploaded file could not be decoded: ${error.message}`)
    throw error
  }
}

async function textToSpeechStream(ctx: RouteContext): Promise<Reply> {
  const query = new URL(ctx.req.url ?? '/', 'http://localhost').searchParams
  const body = await readBody(ctx.req, 1024 * 1024)
  if (body.overflow) return byStatus(413)
  const format = query.get('output_format') ?? 'mp3_44100_128'
  if (!ELEVENLABS_MP3_FORMATS.includes(format))
    return elevenlabsError(
      400,
      'invalid_output_format',
      `Output format ${format} is not available on this local server: it speaks ${ELEVENLABS_MP3_FORMATS.join(', ')}.`,
    )
  const params = jsonObject(body.bytes)
  if (!params) return elevenlabsValidation([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }])
  const { text, model_id: model } = params
  if (text === undefined) return missing('text')
  if (typeof text !== 'string')
    return elevenlabsValidation([{ loc: ['body', 'text'], msg: 'Input should be a valid string', type: 'string_type' }])
  if (model !== undefined && typeof model !== 'string')
    return elevenlabsValidation([
      { loc: ['body', 'model_id'], msg: 'Input should be a valid string', type: 'string_type' },
    ])
  if (text.length > ELEVENLABS_TEXT_LIMIT)
    return elevenlabsError(
      400,
      'max_character_limit_exceeded',
      `Text is too long: ${text.length} characters, the limit is ${ELEVENLABS_TEXT_LIMIT}.`,
    )
  if (splitSentences(text).length === 0) return elevenlabsError(400, 'invalid_text', 'The text has nothing to speak.')
  return {
    kind: 'stream',
    status: 200,
    contentType: 'audio/mpeg',
    // Any voice id is accepted: a Flite voice by that name, else the default voice.
    chunks: speechStream(ctx, text, { voice: resolveVoice(ctx.params.voice_id), files: false }),
  }
}

/** POST /v1/single-use-token/{token_type}: a token a browser puts in the realtime socket's `?token=`. */
async function singleUseToken(ctx: RouteContext): Promise<Reply> {
  await drainBody(ctx.req)
  if (ctx.params.token_type !== 'realtime_scribe')
    return elevenlabsValidation([
      {
        loc: ['path', 'token_type'],
        msg: "Input should be 'realtime_scribe' (the only token type this local server mints)",
        type: 'enum',
      },
    ])
  return json(200, { token: ctx.tokens.mintSingleUse() })
}

export const elevenlabs: Provider = {
  id: 'elevenlabs',
  prefix: '/elevenlabs',
  base: '/elevenlabs',
  auth: { header: 'xi-api-key' },
  errors: {
    unauthorized: (failure) =>
      failure === 'missing'
        ? elevenlabsError(401, 'missing_api_key', 'Missing the xi-api-key header.')
        : elevenlabsError(401, 'invalid_api_key', 'Invalid API key'),
    status: byStatus,
    routing: (status) => json(status, { detail: status === 404 ? 'Not Found' : 'Method Not Allowed' }),
  },
  routes: [
    {
      method: 'POST',
      path: '/elevenlabs/v1/speech-to-text',
      successType: 'application/json',
      handle: speechToText,
    },
    {
      method: 'POST',
      path: '/elevenlabs/v1/single-use-token/{token_type}',
      successType: 'application/json',
      handle: singleUseToken,
    },
    {
      method: 'POST',
      path: '/elevenlabs/v1/text-to-speech/{voice_id}/stream',
      successType: 'audio/mpeg',
      handle: textToSpeechStream,
    },
  ],
}
