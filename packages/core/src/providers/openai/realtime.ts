// OpenAI's Realtime API in transcription mode, in one place: `wss://…/realtime?intent=transcription`,
// `session.update` (type `transcription`, PCM16 at 24 kHz, the model, `turn_detection`), audio as base64
// `input_audio_buffer.append`, `input_audio_buffer.commit`; back: `session.updated`, `speech_started` /
// `speech_stopped`, `committed` (the items' order), transcription `delta` / `completed` / `failed` per item,
// and `error`. Loaded on the first `openTranscriptionStream` (openai.ts imports it lazily).
import { VoiceError, type VoiceErrorCode } from '../../errors'
import { type ErrorDecoder, type Json, lookup, num, str } from '../../transport/decode'
import type { StreamingTranscriptionOptions, StreamingTranscriptionSession } from '../../transport/streaming'
import { resolveConnection } from '../../transport/streaming-connection'
import { createPcmFramer } from '../../transport/streaming-pcm'
import { openStreamingSession, type ProtocolContext, type StreamingProtocol } from '../../transport/streaming-socket'
import { OPENAI_CLIENT_SECRETS_PATH, OPENAI_REALTIME_PATH } from './descriptor'
import type { OpenAIRealtimeOptions, OpenAITransportOptions } from './openai'

const provider = 'openai'

// The relay is `${baseUrl}${OPENAI_REALTIME_PATH}` (the proxy relays `{basePath}/openai/realtime`); the token
// route `${baseUrl}${OPENAI_CLIENT_SECRETS_PATH}`, a POST answered `{value: 'ek_…'}`.
export const OPENAI_REALTIME_URL = 'wss://api.openai.com/v1/realtime'
export const OPENAI_DEFAULT_REALTIME_MODEL = 'gpt-4o-transcribe'
export const OPENAI_REALTIME_RATE = 24_000

/** Frames of 100 ms; a commit needs at least 100 ms of audio (else `input_audio_buffer_commit_empty`). */
const FRAME_SAMPLES = OPENAI_REALTIME_RATE / 10
const MIN_COMMIT_SAMPLES = OPENAI_REALTIME_RATE / 10

const realtimeErrorCodes: Readonly<Record<string, VoiceErrorCode>> = {
  invalid_api_key: 'unauthorized',
  insufficient_quota: 'quota_exceeded',
  rate_limit_exceeded: 'quota_exceeded',
  model_not_found: 'provider_misconfigured',
  session_expired: 'timeout',
}
const RETRYABLE = new Set(['rate_limit_exceeded', 'session_expired'])

/** An `error` event's or a failed transcription's `{type, code, message}` as a VoiceError. */
export function openaiRealtimeError(error: unknown): VoiceError {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Json
  const code = str(record.code)
  const type = str(record.type)
  const voiceCode =
    lookup(realtimeErrorCodes, code) ??
    (type === 'server_error'
      ? 'provider_unavailable'
      : type === 'invalid_request_error'
        ? 'invalid_request'
        : 'provider_error')
  return new VoiceError(voiceCode, str(record.message) ?? code ?? type, {
    provider,
    providerCode: code ?? type,
    retryable: voiceCode === 'provider_unavailable' || (code !== undefined && RETRYABLE.has(code)),
  })
}

function turnDetection(option: OpenAIRealtimeOptions['turnDetection']): Json | null {
  if (!option) return null
  if (option.type === 'semantic_vad') {
    return { type: 'semantic_vad', ...(option.eagerness ? { eagerness: option.eagerness } : {}) }
  }
  const vad: Json = { type: 'server_vad' }
  if (option.threshold !== undefined) vad.threshold = option.threshold
  if (option.prefixPaddingMs !== undefined) vad.prefix_padding_ms = option.prefixPaddingMs
  if (option.silenceDurationMs !== undefined) vad.silence_duration_ms = option.silenceDurationMs
  return vad
}

/** The `session.update` that configures a transcription session. */
export function openaiSessionUpdate(options: OpenAIRealtimeOptions, language?: string): Json {
  const transcription: Json = { model: options.transcriptionModel ?? OPENAI_DEFAULT_REALTIME_MODEL }
  if (language) transcription.language = language
  if (options.prompt) transcription.prompt = options.prompt
  const input: Json = {
    format: { type: 'audio/pcm', rate: OPENAI_REALTIME_RATE },
    transcription,
    turn_detection: turnDetection(options.turnDetection),
  }
  if (options.noiseReduction) input.noise_reduction = { type: options.noiseReduction }
  return { type: 'session.update', session: { type: 'transcription', audio: { input } } }
}

const seconds = (ms: unknown) => {
  const value = num(ms)
  return value === undefined ? {} : { at: value / 1000 }
}

export function openaiRealtimeProtocol(options: OpenAIRealtimeOptions, language?: string): StreamingProtocol {
  const framer = createPcmFramer(OPENAI_REALTIME_RATE, FRAME_SAMPLES)
  const append = (audio: string) => JSON.stringify({ type: 'input_audio_buffer.append', audio })
  let committedAt = 0 // framer.total at the last commit
  /**
   * The app's commits not yet placed in `order`, oldest first: `sent` waits for its `committed` (or for the
   * provider to refuse it as empty); `kept` was too short to send, its final '' goes in its place.
   */
  const unplaced: ('sent' | 'kept')[] = []
  let kept = 0
  /** Items in the order the provider committed them; their finals are reported in this order. */
  const order: string[] = []
  /** Each item's text so far, from its deltas. */
  const texts = new Map<string, string>()
  /** Items whose transcription ended: their transcript, and the error when it failed. */
  const done = new Map<string, { text: string; error?: VoiceError }>()
  let interim = ''

  const place = (id: string) => {
    if (!order.includes(id)) order.push(id)
  }
  /** An item of our own, its final '' (a commit that transcribes nothing), in the place of the next commit. */
  const placeEmpty = () => {
    const id = `\u0000empty${++kept}`
    order.push(id)
    done.set(id, { text: '' })
  }
  /** The kept commits at the head of the queue take their places. */
  const placeKept = () => {
    while (unplaced[0] === 'kept') {
      unplaced.shift()
      placeEmpty()
    }
  }
  /** What is not final yet, in commit order: the items' whole texts so far. */
  const pending = () => {
    const ids = [...order, ...[...texts.keys()].filter((id) => !order.includes(id))]
    return ids
      .map((id) => (done.get(id)?.text ?? texts.get(id) ?? '').trim())
      .filter(Boolean)
      .join(' ')
  }
  const showInterim = (context: ProtocolContext) => {
    const text = pending()
    if (text && text !== interim) context.emit({ type: 'interim', text })
    interim = text
  }
  /** Reports the finals that are next in commit order, then what is still pending (when it changed). */
  const release = (context: ProtocolContext) => {
    let released = false
    for (let id = order[0]; id !== undefined; id = order[0]) {
      const item = done.get(id)
      if (!item) break
      order.shift()
      done.delete(id)
      texts.delete(id)
      context.emit({ type: 'final', text: item.text.trim(), ...(item.error ? { error: item.error } : {}) })
      released = true
    }
    if (released) interim = '' // a final ends the interim; what is still pending is the next one
    showInterim(context)
  }
  const commit = (context: ProtocolContext): string[] => {
    const samples = framer.total - committedAt
    if (samples === 0) return []
    if (samples < MIN_COMMIT_SAMPLES) {
      // The provider refuses a commit of under 100 ms: its audio waits for the next commit, and its final
      // is '' (reported after this call returns, in its place among the commits before it).
      unplaced.push('kept')
      placeKept()
      queueMicrotask(() => release(context))
      return []
    }
    committedAt = framer.total
    unplaced.push('sent')
    return [...framer.flush().map(append), JSON.stringify({ type: 'input_audio_buffer.commit' })]
  }

  return {
    sampleRate: OPENAI_REALTIME_RATE,
    address(url, token) {
      url.searchParams.set('intent', 'transcription')
      return token ? ['realtime', `openai-insecure-api-key.${token}`] : undefined
    },
    opening: () => [JSON.stringify(openaiSessionUpdate(options, language))],
    audio: (samples) => framer.push(samples).map(append),
    commit,
    // Under 100 ms left at the end cannot be committed: it is dropped.
    end: (context) =>
      framer.total - committedAt < MIN_COMMIT_SAMPLES ? [] : [...framer.end().map(append), ...commit(context)],
    settled: () => unplaced.length === 0 && order.length === 0,
    receive(message, context) {
      const id = str(message.item_id)
      switch (message.type) {
        case 'session.updated':
        case 'transcription_session.updated':
          return context.ready()
        case 'input_audio_buffer.speech_started':
          return context.emit({ type: 'speech-started', ...seconds(message.audio_start_ms) })
        case 'input_audio_buffer.speech_stopped':
          return context.emit({ type: 'speech-stopped', ...seconds(message.audio_end_ms) })
        case 'input_audio_buffer.committed':
          // Ours, oldest first; with server VAD also the provider's own.
          if (unplaced[0] === 'sent') unplaced.shift()
          if (id) place(id)
          placeKept()
          return release(context)
        case 'conversation.item.input_audio_transcription.delta':
          if (!id || typeof message.delta !== 'string') return
          texts.set(id, (texts.get(id) ?? '') + message.delta)
          return showInterim(context)
        case 'conversation.item.input_audio_transcription.completed':
          if (!id) return
          place(id)
          done.set(id, { text: typeof message.transcript === 'string' ? message.transcript : (texts.get(id) ?? '') })
          return release(context)
        case 'conversation.item.input_audio_transcription.failed': {
          const error = openaiRealtimeError(message.error)
          context.emit({ type: 'error', error, fatal: false })
          if (!id) return
          // The commit still gets its final: '' with the error, so the app can send that audio another way.
          place(id)
          done.set(id, { text: '', error })
          return release(context)
        }
        case 'error': {
          const error = openaiRealtimeError(message.error)
          if (error.providerCode === 'input_audio_buffer_commit_empty') {
            // Not an error of the session: the commit transcribes nothing, and its final is ''.
            if (unplaced[0] === 'sent') {
              unplaced.shift()
              placeEmpty()
              placeKept()
              release(context)
            }
            return
          }
          if (error.providerCode === 'session_expired') return context.fail(error)
          return context.emit({ type: 'error', error, fatal: false })
        }
      }
    },
  }
}

/** `openTranscriptionStream` of the OpenAI transport (see `OpenAITransportOptions.realtime`). */
export function openOpenAITranscriptionStream(
  transport: OpenAITransportOptions,
  options: OpenAIRealtimeOptions,
  stream: StreamingTranscriptionOptions,
  decodeError: ErrorDecoder,
): Promise<StreamingTranscriptionSession> {
  const connection = resolveConnection(options.connection, {
    provider,
    options: transport,
    socketPath: OPENAI_REALTIME_PATH,
    tokenPath: OPENAI_CLIENT_SECRETS_PATH,
    readToken: (body) => {
      const record = (typeof body === 'object' && body !== null ? body : {}) as Json
      const secret = record.client_secret as Json | undefined
      return record.value ?? secret?.value
    },
    providerUrl: OPENAI_REALTIME_URL,
    decodeError,
  })
  return openStreamingSession(provider, connection, openaiRealtimeProtocol(options, stream.language), stream, options)
}
