// OpenAI Realtime, transcription mode (`/v1/realtime?intent=transcription`): JSON events, each with `event_id`;
// audio is base64 PCM16 at 24 kHz in `input_audio_buffer.append`. Without turn detection the client commits; with
// `server_vad` the energy VAD finds turns (speech_started, speech_stopped, then an automatic commit).
//
// This server's extension: with server_vad, `conversation.item.input_audio_transcription.delta` also arrives for the
// turn still being spoken (interim words). Deltas only ever append: a word once sent is not taken back, so when a
// later hypothesis revises a sent word, the deltas stop for that item and the `completed` transcript (always the
// final decode) is the text to keep. Without turn detection, all deltas come after the commit, and they concatenate
// to the transcript.
import { randomBytes } from 'node:crypto'
import type { WebSocket } from 'ws'
import type { Transcript } from '../engines/stt.ts'
import { decodeBase64, pcm16 } from './audio.ts'
import type { Hypothesis } from './recognizer.ts'
import { RealtimeSocket, type SessionContext } from './socket.ts'
import { type Segment, Transcriber } from './transcriber.ts'
import type { TurnDetection } from './vad.ts'

export const OPENAI_RATE = 24_000
const COMMIT_MIN_MS = 100

type Json = Record<string, unknown>

export interface ServerVad {
  type: 'server_vad'
  threshold: number
  prefix_padding_ms: number
  silence_duration_ms: number
}

/** `audio.input` of a transcription session, as the wire spells it. */
export interface InputConfig {
  format: { type: 'audio/pcm'; rate: number }
  transcription: { model: string; language: string | null; prompt: string } | null
  noise_reduction: { type: string } | null
  turn_detection: ServerVad | null
}

export const DEFAULT_SERVER_VAD: ServerVad = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
}

export function defaultInputConfig(): InputConfig {
  return {
    format: { type: 'audio/pcm', rate: OPENAI_RATE },
    transcription: { model: 'gpt-4o-transcribe', language: null, prompt: '' },
    noise_reduction: null,
    turn_detection: { ...DEFAULT_SERVER_VAD },
  }
}

export interface SessionConfig {
  input: InputConfig
  include: string[] | null
}

export interface ConfigError {
  code: string
  message: string
  param: string
}

const unknownParameter = (param: string): ConfigError => ({
  code: 'unknown_parameter',
  message: `Unknown parameter: '${param}'.`,
  param,
})
const invalid = (param: string, message: string): ConfigError => ({ code: 'invalid_value', message, param })
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * `session` of a session.update (or of a client secret's body) applied over `current`; nothing is applied when any
 * part is invalid. `prefix` names the object in error params (`session`).
 */
export function applySessionUpdate(
  current: SessionConfig,
  session: unknown,
  prefix = 'session',
): SessionConfig | ConfigError {
  if (!isObject(session)) return invalid(prefix, `Invalid type for '${prefix}': expected an object.`)
  for (const key of Object.keys(session))
    if (!['type', 'audio', 'include', 'id', 'object'].includes(key)) return unknownParameter(`${prefix}.${key}`)
  if (session.type !== undefined && session.type !== 'transcription')
    return invalid(
      `${prefix}.type`,
      `Invalid value: '${String(session.type)}'. This local server speaks transcription sessions only ('transcription').`,
    )
  const next: SessionConfig = { input: structuredClone(current.input), include: current.include }
  if (session.include !== undefined) {
    if (
      session.include !== null &&
      !(Array.isArray(session.include) && session.include.every((i) => typeof i === 'string'))
    )
      return invalid(`${prefix}.include`, `Invalid type for '${prefix}.include': expected an array of strings.`)
    next.include = session.include as string[] | null
  }
  if (session.audio === undefined) return next
  if (!isObject(session.audio))
    return invalid(`${prefix}.audio`, `Invalid type for '${prefix}.audio': expected an object.`)
  for (const key of Object.keys(session.audio)) if (key !== 'input') return unknownParameter(`${prefix}.audio.${key}`)
  const input = session.audio.input
  if (input === undefined) return next
  const at = `${prefix}.audio.input`
  if (!isObject(input)) return invalid(at, `Invalid type for '${at}': expected an object.`)
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'format': {
        if (!isObject(value) || value.type !== 'audio/pcm')
          return invalid(
            `${at}.format.type`,
            `Invalid value: '${isObject(value) ? String(value.type) : String(value)}'. This local server takes 'audio/pcm' (PCM16, 24 kHz, mono).`,
          )
        if (value.rate !== undefined && value.rate !== OPENAI_RATE)
          return invalid(
            `${at}.format.rate`,
            `Invalid value: ${String(value.rate)}. Only a 24kHz sample rate is supported.`,
          )
        next.input.format = { type: 'audio/pcm', rate: OPENAI_RATE }
        break
      }
      case 'transcription': {
        if (value === null) {
          next.input.transcription = null
          break
        }
        if (!isObject(value)) return invalid(`${at}.transcription`, `Invalid type for '${at}.transcription'.`)
        const base = next.input.transcription ?? { model: 'gpt-4o-transcribe', language: null, prompt: '' }
        const { model = base.model, language = base.language, prompt = base.prompt } = value
        if (typeof model !== 'string' || !model) return invalid(`${at}.transcription.model`, 'model must be a string.')
        if (language !== null && typeof language !== 'string')
          return invalid(`${at}.transcription.language`, 'language must be a string.')
        if (typeof prompt !== 'string') return invalid(`${at}.transcription.prompt`, 'prompt must be a string.')
        next.input.transcription = { model, language, prompt }
        break
      }
      case 'noise_reduction': {
        if (value !== null && !(isObject(value) && (value.type === 'near_field' || value.type === 'far_field')))
          return invalid(
            `${at}.noise_reduction.type`,
            "noise_reduction must be null or {type: 'near_field' | 'far_field'}.",
          )
        next.input.noise_reduction = value === null ? null : { type: value.type as string }
        break
      }
      case 'turn_detection': {
        const parsed = parseTurnDetection(value, `${at}.turn_detection`)
        if (parsed !== null && 'code' in parsed) return parsed
        next.input.turn_detection = parsed
        break
      }
      default:
        return unknownParameter(`${at}.${key}`)
    }
  }
  return next
}

function parseTurnDetection(value: unknown, at: string): ServerVad | null | ConfigError {
  if (value === null) return null
  if (!isObject(value)) return invalid(at, `Invalid type for '${at}': expected an object or null.`)
  if (value.type !== 'server_vad')
    return invalid(
      `${at}.type`,
      `Invalid value: '${String(value.type)}'. This local server detects turns with 'server_vad' only (or null for manual commits).`,
    )
  const vad = { ...DEFAULT_SERVER_VAD }
  const number = (key: 'threshold' | 'prefix_padding_ms' | 'silence_duration_ms', min: number, max: number) => {
    const n = value[key]
    if (n === undefined) return undefined
    if (typeof n !== 'number' || !(n >= min && n <= max))
      return invalid(`${at}.${key}`, `Invalid value: ${String(n)}. ${key} must be ${min}–${max}.`)
    vad[key] = n
    return undefined
  }
  return (
    number('threshold', 0, 1) ??
    number('prefix_padding_ms', 0, 10_000) ??
    number('silence_duration_ms', 10, 10_000) ??
    vad
  )
}

export function turnDetectionOf(vad: ServerVad | null): TurnDetection | null {
  if (!vad) return null
  return {
    threshold: vad.threshold,
    prefixPaddingMs: vad.prefix_padding_ms,
    silenceDurationMs: vad.silence_duration_ms,
    minSpeechMs: 50,
  }
}

/** The session object of session.created / session.updated and of a client secret. */
export function sessionObject(id: string, config: SessionConfig, expiresAt: number): Json {
  return {
    type: 'transcription',
    object: 'realtime.transcription_session',
    id,
    expires_at: expiresAt,
    include: config.include,
    audio: { input: config.input },
  }
}

export const newId = (prefix: string) => `${prefix}_${randomBytes(11).toString('hex')}`

export class OpenAIRealtime extends RealtimeSocket {
  protected readonly expiryCloseCode = 1001
  private readonly sessionId = newId('sess')
  private config: SessionConfig
  private readonly expiresAt: number
  private readonly transcriber: Transcriber
  /** Item ids by segment, from speech_started (or the commit) to the final. */
  private readonly items = new Map<number, string>()
  private readonly sentWords = new Map<string, string[]>()
  private previousItem: string | null = null

  constructor(ws: WebSocket, ctx: SessionContext, config: SessionConfig) {
    super(ws, ctx)
    this.config = config
    this.expiresAt = Math.floor((Date.now() + ctx.limits.maxSessionMs) / 1000)
    this.transcriber = new Transcriber(
      ctx.engine,
      {
        inputRate: OPENAI_RATE,
        turnDetection: turnDetectionOf(config.input.turn_detection),
        interim: 'turns',
        interimEveryMs: ctx.limits.interimEveryMs,
        onError: (error) => this.failed(error),
      },
      {
        speechStarted: (segment) => this.speechStarted(segment),
        speechStopped: (segment) => this.speechStopped(segment),
        committed: (segment, by) => this.committed(segment, by),
        interim: (segment, hypothesis) => this.interim(segment, hypothesis),
        final: (segment, result) => this.final(segment, result),
      },
    )
  }

  protected opened(): void {
    this.event('session.created', { session: this.session() })
  }

  protected text(message: string): void {
    let event: unknown
    try {
      event = JSON.parse(message)
    } catch {
      this.error('invalid_json', `We could not parse the JSON body of your event: ${message.slice(0, 60)}`, null)
      return
    }
    if (!isObject(event)) {
      this.error('invalid_json', 'An event must be a JSON object.', null)
      return
    }
    const clientEventId = typeof event.event_id === 'string' ? event.event_id : null
    const fail = (code: string, text: string, param: string | null) => this.error(code, text, param, clientEventId)
    switch (event.type) {
      case 'session.update': {
        const next = applySessionUpdate(this.config, event.session)
        if ('code' in next) {
          fail(next.code, next.message, next.param)
          return
        }
        this.config = next
        this.transcriber.setTurnDetection(turnDetectionOf(next.input.turn_detection))
        this.event('session.updated', { session: this.session() })
        return
      }
      case 'input_audio_buffer.append': {
        if (typeof event.audio !== 'string') {
          fail('missing_required_parameter', "Missing required parameter: 'audio'.", 'audio')
          return
        }
        const bytes = decodeBase64(event.audio)
        const pcm = bytes && pcm16(bytes)
        if (!pcm) {
          fail('invalid_value', "Invalid 'audio': expected base64 of 16-bit PCM (an even number of bytes).", 'audio')
          return
        }
        this.transcriber.push(pcm)
        this.audioFrame(bytes!.length, (this.transcriber.received * 1000) / OPENAI_RATE)
        return
      }
      case 'input_audio_buffer.commit': {
        // The commit's events (committed, then the transcript) come from the transcriber's callbacks.
        const buffered = this.transcriber.bufferedMs
        if (this.transcriber.commit(COMMIT_MIN_MS) === 'empty')
          fail(
            'input_audio_buffer_commit_empty',
            `Error committing input audio buffer: buffer too small. Expected at least ${COMMIT_MIN_MS}ms of audio, but buffer only has ${buffered.toFixed(2)}ms of audio.`,
            null,
          )
        return
      }
      case 'input_audio_buffer.clear':
        this.transcriber.clear()
        this.event('input_audio_buffer.cleared', {})
        return
      case undefined:
        fail('missing_required_parameter', "Missing required parameter: 'type'.", 'type')
        return
      default:
        fail(
          'invalid_value',
          `Invalid value: '${String(event.type)}'. Supported values are: 'session.update', 'input_audio_buffer.append', 'input_audio_buffer.commit' and 'input_audio_buffer.clear'.`,
          'type',
        )
        return
    }
  }

  protected binary(): void {
    this.error(
      'invalid_value',
      'Binary frames are not accepted: send JSON events (audio base64 in input_audio_buffer.append).',
      null,
    )
  }

  protected tooLarge(bytes: number): void {
    this.error(
      'message_too_large',
      `The event is ${bytes} bytes; this server accepts events of at most ${this.ctx.limits.maxFrameBytes} bytes.`,
      null,
    )
  }

  protected expired(): void {
    const minutes = Math.round(this.ctx.limits.maxSessionMs / 60_000)
    this.error(
      'session_expired',
      `Your session hit the maximum duration of ${minutes >= 1 ? `${minutes} minutes` : `${this.ctx.limits.maxSessionMs} ms`}.`,
      null,
    )
  }

  protected faultError(fields: Record<string, unknown>): void {
    this.event('error', {
      error: {
        type: 'server_error',
        code: 'server_error',
        message: 'Injected fault.',
        param: null,
        event_id: null,
        ...fields,
      },
    })
  }

  protected release(): void {
    this.transcriber.close()
  }

  protected warm(): void {
    this.transcriber.warm()
  }

  private session() {
    return sessionObject(this.sessionId, this.config, this.expiresAt)
  }

  private event(type: string, fields: Json) {
    this.send({ type, event_id: newId('event'), ...fields })
  }

  private error(code: string, message: string, param: string | null, eventId: string | null = null) {
    this.event('error', { error: { type: 'invalid_request_error', code, message, param, event_id: eventId } })
  }

  private itemOf(segment: Segment): string {
    let item = this.items.get(segment.index)
    if (!item) {
      item = newId('item')
      this.items.set(segment.index, item)
    }
    return item
  }

  private speechStarted(segment: Segment) {
    this.event('input_audio_buffer.speech_started', {
      audio_start_ms: Math.round(segment.start / 16),
      item_id: this.itemOf(segment),
    })
  }

  private speechStopped(segment: Segment) {
    this.event('input_audio_buffer.speech_stopped', {
      audio_end_ms: Math.round((segment.speechEnd ?? segment.start + segment.samples) / 16),
      item_id: this.itemOf(segment),
    })
  }

  private committed(segment: Segment, by: string) {
    const item = this.itemOf(segment)
    this.event('input_audio_buffer.committed', { previous_item_id: this.previousItem, item_id: item })
    this.previousItem = item
    this.ctx.emit({
      type: 'realtime-commit',
      id: this.ctx.id,
      item,
      by,
      audioMs: Math.round((segment.start + segment.samples) / 16),
      at: performance.now(),
    })
  }

  /** Deltas for the turn in progress: the hypothesis's words past those already sent, when it still starts with them. */
  private interim(segment: Segment, hypothesis: Hypothesis) {
    const item = this.items.get(segment.index)
    if (!item || !this.transcriber.inTurn) return
    const words = hypothesis.text.split(' ')
    const sent = this.sentWords.get(item) ?? []
    this.ctx.emit({
      type: 'realtime-interim',
      id: this.ctx.id,
      item,
      text: hypothesis.text,
      audioMs: Math.round((segment.start + hypothesis.heard) / 16),
      at: performance.now(),
    })
    if (words.length <= sent.length || !startsWith(words, sent)) return
    this.sendDeltas(item, sent, words.slice(sent.length))
  }

  private final(segment: Segment, result: Transcript | Error) {
    const item = this.itemOf(segment)
    const deliver = () => {
      this.items.delete(segment.index)
      const sent = this.sentWords.get(item) ?? []
      this.sentWords.delete(item)
      if (result instanceof Error) {
        this.event('conversation.item.input_audio_transcription.failed', {
          item_id: item,
          content_index: 0,
          error: { type: 'server_error', code: 'transcription_failed', message: result.message, param: null },
        })
        this.ctx.log(`realtime openai #${this.ctx.id}: transcription failed: ${result.message}`)
        return
      }
      const words = result.text ? result.text.split(' ') : []
      if (startsWith(words, sent) && words.length > sent.length) this.sendDeltas(item, sent, words.slice(sent.length))
      this.event('conversation.item.input_audio_transcription.completed', {
        item_id: item,
        content_index: 0,
        transcript: result.text,
        usage: { type: 'duration', seconds: Math.ceil(result.duration) },
      })
      this.ctx.emit({ type: 'realtime-final', id: this.ctx.id, item, text: result.text, at: performance.now() })
    }
    if (this.finalDelayMs > 0) setTimeout(deliver, this.finalDelayMs)
    else deliver()
  }

  private sendDeltas(item: string, sent: string[], words: string[]) {
    let count = sent.length
    for (const word of words) {
      this.event('conversation.item.input_audio_transcription.delta', {
        item_id: item,
        content_index: 0,
        delta: count === 0 ? word : ` ${word}`,
      })
      count++
    }
    this.sentWords.set(item, [...sent, ...words])
  }
}

function startsWith(words: string[], prefix: string[]): boolean {
  return prefix.every((word, i) => words[i] === word)
}
