// ElevenLabs Scribe realtime (`/v1/speech-to-text/realtime`): JSON messages told apart by `message_type`; audio is
// base64 in `input_audio_chunk`, in the query's `audio_format`. `partial_transcript` while audio arrives (the whole
// segment so far, each time), `committed_transcript` at each commit: the client's (`commit: true`), or with
// `commit_strategy=vad` the end of each turn, or by itself after 90 s of uncommitted audio. With `include_timestamps`,
// `committed_transcript_with_timestamps` follows, its word times in seconds on the session's audio clock.
import { randomBytes } from 'node:crypto'
import type { WebSocket } from 'ws'
import type { Transcript } from '../engines/stt.ts'
import { decodeBase64, pcm16, ulaw } from './audio.ts'
import type { Hypothesis } from './recognizer.ts'
import { RealtimeSocket, type SessionContext } from './socket.ts'
import { type Segment, Transcriber } from './transcriber.ts'

export const SCRIBE_REALTIME_MODELS = ['scribe_v2_realtime']
/** Every pcm_* rate the API lists, and μ-law at 8 kHz. All are resampled to 16 kHz for recognition. */
export const SCRIBE_AUDIO_FORMATS: Record<string, { rate: number; encoding: 'pcm' | 'ulaw' }> = {
  pcm_8000: { rate: 8000, encoding: 'pcm' },
  pcm_16000: { rate: 16_000, encoding: 'pcm' },
  pcm_22050: { rate: 22_050, encoding: 'pcm' },
  pcm_24000: { rate: 24_000, encoding: 'pcm' },
  pcm_44100: { rate: 44_100, encoding: 'pcm' },
  pcm_48000: { rate: 48_000, encoding: 'pcm' },
  ulaw_8000: { rate: 8000, encoding: 'ulaw' },
}

export interface ScribeConfig {
  model_id: string
  audio_format: string
  sample_rate: number
  commit_strategy: 'manual' | 'vad'
  vad_silence_threshold_secs: number
  vad_threshold: number
  min_speech_duration_ms: number
  min_silence_duration_ms: number
  language_code: string | null
  include_timestamps: boolean
}

export type QueryProblem = { loc: string; msg: string; type: string; input: unknown }

/** The session's configuration from the URL's query, or what is wrong with it (answered 422 before the upgrade). */
export function parseScribeQuery(query: URLSearchParams): ScribeConfig | QueryProblem {
  const problem = (loc: string, msg: string, type = 'value_error'): QueryProblem => ({
    loc,
    msg,
    type,
    input: query.get(loc),
  })
  const model = query.get('model_id')
  if (model === null) return problem('model_id', 'Field required', 'missing')
  if (!SCRIBE_REALTIME_MODELS.includes(model))
    return problem(
      'model_id',
      `Input should be ${SCRIBE_REALTIME_MODELS.map((m) => `'${m}'`).join(' or ')}`,
      'literal_error',
    )
  const format = query.get('audio_format') ?? 'pcm_16000'
  const spec = SCRIBE_AUDIO_FORMATS[format]
  if (!spec)
    return problem(
      'audio_format',
      `Input should be ${Object.keys(SCRIBE_AUDIO_FORMATS)
        .map((f) => `'${f}'`)
        .join(', ')}`,
      'enum',
    )
  const strategy = query.get('commit_strategy') ?? 'manual'
  if (strategy !== 'manual' && strategy !== 'vad')
    return problem('commit_strategy', "Input should be 'manual' or 'vad'", 'enum')
  const number = (key: string, fallback: number, min: number, max: number) => {
    const raw = query.get(key)
    if (raw === null) return fallback
    const n = Number(raw)
    return raw.trim() !== '' && n >= min && n <= max ? n : problem(key, `Input should be between ${min} and ${max}`)
  }
  const silence = number('vad_silence_threshold_secs', 1.5, 0.3, 3)
  if (typeof silence !== 'number') return silence
  const threshold = number('vad_threshold', 0.4, 0.1, 0.9)
  if (typeof threshold !== 'number') return threshold
  const minSpeech = number('min_speech_duration_ms', 100, 50, 2000)
  if (typeof minSpeech !== 'number') return minSpeech
  const minSilence = number('min_silence_duration_ms', 100, 50, 2000)
  if (typeof minSilence !== 'number') return minSilence
  const timestamps = query.get('include_timestamps') ?? 'false'
  if (timestamps !== 'true' && timestamps !== 'false')
    return problem('include_timestamps', 'Input should be a valid boolean', 'bool_parsing')
  return {
    model_id: model,
    audio_format: format,
    sample_rate: spec.rate,
    commit_strategy: strategy,
    vad_silence_threshold_secs: silence,
    vad_threshold: threshold,
    min_speech_duration_ms: minSpeech,
    min_silence_duration_ms: minSilence,
    language_code: query.get('language_code'),
    include_timestamps: timestamps === 'true',
  }
}

export class ElevenLabsRealtime extends RealtimeSocket {
  // No documented code: 1008 (policy) says "a limit of this server" without claiming an error of the client's.
  protected readonly expiryCloseCode = 1008
  private readonly transcriber: Transcriber
  private readonly encoding: 'pcm' | 'ulaw'

  constructor(
    ws: WebSocket,
    ctx: SessionContext,
    private readonly config: ScribeConfig,
  ) {
    super(ws, ctx)
    this.encoding = SCRIBE_AUDIO_FORMATS[config.audio_format]!.encoding
    this.transcriber = new Transcriber(
      ctx.engine,
      {
        inputRate: config.sample_rate,
        turnDetection:
          config.commit_strategy === 'vad'
            ? {
                threshold: config.vad_threshold,
                prefixPaddingMs: 300,
                silenceDurationMs: config.vad_silence_threshold_secs * 1000,
                minSpeechMs: config.min_speech_duration_ms,
              }
            : null,
        interim: 'always',
        interimEveryMs: ctx.limits.interimEveryMs,
        onError: (error) => this.failed(error),
        maxSegmentMs: ctx.limits.maxSegmentMs,
      },
      {
        committed: (segment, by) =>
          this.ctx.emit({
            type: 'realtime-commit',
            id: this.ctx.id,
            item: String(segment.index),
            by,
            audioMs: Math.round((segment.start + segment.samples) / 16),
            at: performance.now(),
          }),
        interim: (segment, hypothesis) => this.partial(segment, hypothesis),
        final: (segment, result) => this.final(segment, result),
      },
    )
  }

  protected opened(): void {
    this.send({
      message_type: 'session_started',
      session_id: randomBytes(16).toString('hex'),
      config: {
        sample_rate: this.config.sample_rate,
        audio_format: this.config.audio_format,
        language_code: this.config.language_code ?? 'en',
        model_id: this.config.model_id,
        commit_strategy: this.config.commit_strategy,
        vad_silence_threshold_secs: this.config.vad_silence_threshold_secs,
        vad_threshold: this.config.vad_threshold,
        min_speech_duration_ms: this.config.min_speech_duration_ms,
        min_silence_duration_ms: this.config.min_silence_duration_ms,
        include_timestamps: this.config.include_timestamps,
      },
    })
  }

  protected text(message: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(message)
    } catch {
      this.error('input_error', 'Invalid message: not JSON.')
      return
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.error('input_error', 'Invalid message: expected a JSON object.')
      return
    }
    const chunk = parsed as Record<string, unknown>
    if (chunk.message_type !== 'input_audio_chunk') {
      this.error(
        'input_error',
        `Unknown message_type '${String(chunk.message_type)}': this server takes 'input_audio_chunk' (commit with commit: true).`,
      )
      return
    }
    if (typeof chunk.audio_base_64 !== 'string') {
      this.error('input_error', 'audio_base_64 must be a string.')
      return
    }
    if (chunk.commit !== undefined && typeof chunk.commit !== 'boolean') {
      this.error('input_error', 'commit must be a boolean.')
      return
    }
    if (chunk.sample_rate !== undefined && chunk.sample_rate !== this.config.sample_rate) {
      this.error(
        'input_error',
        `sample_rate ${String(chunk.sample_rate)} does not match the session's audio_format ${this.config.audio_format}.`,
      )
      return
    }
    if (chunk.audio_base_64 !== '') {
      const bytes = decodeBase64(chunk.audio_base_64)
      const pcm = bytes && (this.encoding === 'ulaw' ? ulaw(bytes) : pcm16(bytes))
      if (!pcm) {
        this.error(
          'input_error',
          `audio_base_64 must be base64 of ${this.encoding === 'ulaw' ? 'μ-law bytes' : '16-bit PCM (an even number of bytes)'}.`,
        )
        return
      }
      this.transcriber.push(pcm)
      this.audioFrame(bytes!.length, (this.transcriber.received * 1000) / this.config.sample_rate)
      if (this.ended) return
    }
    if (chunk.commit === true) this.transcriber.commit(0)
  }

  protected binary(): void {
    this.error('input_error', 'Binary frames are not accepted: send input_audio_chunk messages (audio in base64).')
  }

  protected tooLarge(bytes: number): void {
    this.error(
      'chunk_size_exceeded',
      `The message is ${bytes} bytes; this server accepts messages of at most ${this.ctx.limits.maxFrameBytes} bytes.`,
    )
  }

  protected expired(): void {
    this.error(
      'session_time_limit_exceeded',
      `The session reached its time limit (${this.ctx.limits.maxSessionMs} ms).`,
    )
  }

  protected faultError(fields: Record<string, unknown>): void {
    this.send({ message_type: 'error', error: 'Injected fault.', ...fields })
  }

  protected release(): void {
    this.transcriber.close()
  }

  protected warm(): void {
    this.transcriber.warm()
  }

  private error(type: string, error: string) {
    this.send({ message_type: type, error })
  }

  private partial(segment: Segment, hypothesis: Hypothesis) {
    this.ctx.emit({
      type: 'realtime-interim',
      id: this.ctx.id,
      item: String(segment.index),
      text: hypothesis.text,
      audioMs: Math.round((segment.start + hypothesis.heard) / 16),
      at: performance.now(),
    })
    this.send({ message_type: 'partial_transcript', text: hypothesis.text })
  }

  private final(segment: Segment, result: Transcript | Error) {
    const deliver = () => {
      if (result instanceof Error) {
        this.ctx.log(`realtime elevenlabs #${this.ctx.id}: transcription failed: ${result.message}`)
        this.error('transcriber_error', `Transcription failed: ${result.message}`)
        return
      }
      this.send({ message_type: 'committed_transcript', text: result.text })
      if (this.config.include_timestamps) {
        const offset = segment.start / 16_000
        this.send({
          message_type: 'committed_transcript_with_timestamps',
          text: result.text,
          language_code: this.config.language_code ?? 'en',
          words: scribeWords(result, offset),
        })
      }
      this.ctx.emit({
        type: 'realtime-final',
        id: this.ctx.id,
        item: String(segment.index),
        text: result.text,
        at: performance.now(),
      })
    }
    if (this.finalDelayMs > 0) setTimeout(deliver, this.finalDelayMs)
    else deliver()
  }
}

/** Words with a spacing item between each two, in seconds from `offset`. */
function scribeWords(transcript: Transcript, offset: number) {
  const at = (t: number) => Math.round((t + offset) * 1000) / 1000
  const words: { text: string; start: number; end: number; type: 'word' | 'spacing' }[] = []
  for (const [index, word] of transcript.words.entries()) {
    const previous = transcript.words[index - 1]
    if (previous) words.push({ text: ' ', start: at(previous.end), end: at(word.start), type: 'spacing' })
    words.push({ text: word.word, start: at(word.start), end: at(word.end), type: 'word' })
  }
  return words
}
