// Scribe realtime, in one place: `wss://…/v1/speech-to-text/realtime?model_id=…&audio_format=pcm_16000&…`
// (a single-use `token` in the query when the browser connects itself), audio as base64 PCM16 at 16 kHz in
// `input_audio_chunk` messages, a commit as an empty chunk with `commit: true`; back, by `message_type`:
// `session_started`, `partial_transcript`, `committed_transcript` (then `committed_transcript_with_timestamps`
// with words, when asked) and the error types. Loaded on the first `openTranscriptionStream`.
import { VoiceError, type VoiceErrorCode } from '../../errors'
import { type ErrorDecoder, isRecord, num, str } from '../../transport/decode'
import type { StreamingTranscriptionOptions, StreamingTranscriptionSession } from '../../transport/streaming'
import { resolveConnection } from '../../transport/streaming-connection'
import { createPcmFramer } from '../../transport/streaming-pcm'
import { openStreamingSession, type ProtocolContext, type StreamingProtocol } from '../../transport/streaming-socket'
import type { TranscriptWord } from '../../transport/types'
import { ELEVENLABS_REALTIME_PATH, ELEVENLABS_REALTIME_TOKEN_PATH } from './descriptor'
import type { ElevenLabsRealtimeOptions, ElevenLabsTransportOptions } from './elevenlabs'

const provider = 'elevenlabs'

// The relay is `${baseUrl}${ELEVENLABS_REALTIME_PATH}` (the proxy relays
// `{basePath}/elevenlabs/v1/speech-to-text/realtime`); the token route `${baseUrl}${ELEVENLABS_REALTIME_TOKEN_PATH}`,
// a POST answered `{token}`.
export const ELEVENLABS_REALTIME_URL = 'wss://api.elevenlabs.io/v1/speech-to-text/realtime'
export const ELEVENLABS_DEFAULT_REALTIME_MODEL = 'scribe_v2_realtime'
export const ELEVENLABS_REALTIME_RATE = 16_000

/** 250 ms frames (ElevenLabs' own browser client sends 4096 samples). */
const FRAME_SAMPLES = ELEVENLABS_REALTIME_RATE / 4
/** How long a final waits for its words (`committed_transcript_with_timestamps`) before it goes without. */
const WORDS_WAIT_MS = 1500

/** Error `message_type`s: the VoiceError code, whether the session ends, whether trying again can help. */
const errorTypes: Readonly<Record<string, readonly [VoiceErrorCode, fatal: boolean, retryable: boolean]>> = {
  auth_error: ['unauthorized', true, false],
  quota_exceeded: ['quota_exceeded', true, false],
  unaccepted_terms: ['provider_misconfigured', true, false],
  session_time_limit_exceeded: ['timeout', true, true],
  rate_limited: ['quota_exceeded', false, true],
  commit_throttled: ['quota_exceeded', false, true],
  chunk_size_exceeded: ['audio_too_large', false, false],
  input_error: ['invalid_request', false, false],
  invalid_request: ['invalid_request', false, false],
  transcriber_error: ['provider_unavailable', false, true],
  resource_exhausted: ['provider_unavailable', false, true],
  queue_overflow: ['provider_unavailable', false, true],
  insufficient_audio_activity: ['no_audio', false, false],
  error: ['provider_error', false, false],
}

/** Scribe's words (seconds): the `word` items, spacing and audio events left out. */
export function elevenlabsRealtimeWords(list: unknown): TranscriptWord[] {
  const words: TranscriptWord[] = []
  for (const item of Array.isArray(list) ? list : []) {
    if (!isRecord(item) || typeof item.text !== 'string' || (str(item.type) ?? 'word') !== 'word') continue
    const text = item.text.trim()
    if (text) words.push({ text, start: num(item.start) ?? 0, end: num(item.end) ?? null })
  }
  return words
}

export function elevenlabsRealtimeProtocol(options: ElevenLabsRealtimeOptions, language?: string): StreamingProtocol {
  const framer = createPcmFramer(ELEVENLABS_REALTIME_RATE, FRAME_SAMPLES)
  const timestamps = options.timestamps ?? true
  const chunk = (audio: string, commit = false) =>
    JSON.stringify({
      message_type: 'input_audio_chunk',
      audio_base_64: audio,
      commit,
      sample_rate: ELEVENLABS_REALTIME_RATE,
    })
  let committedAt = 0 // framer.total at the last commit
  let previousCommit = 0
  /** The app's commits still owed a final, oldest first (`text` once it came, in order or not). */
  const owed: { final?: { text: string; words?: TranscriptWord[] } }[] = []
  let interim = ''
  /** A committed transcript waiting for its words. */
  let held: string | undefined
  let heldTimer: ReturnType<typeof setTimeout> | undefined
  /** Finals reported without their words: a late `…_with_timestamps` for them is not a final of its own. */
  let orphans = 0

  /** The finals at the head of the owed commits, in order. */
  const flush = (context: ProtocolContext) => {
    for (let next = owed[0]; next?.final; next = owed[0]) {
      owed.shift()
      const { text, words } = next.final
      context.emit({ type: 'final', text, ...(words?.length ? { words } : {}) })
    }
  }
  const final = (context: ProtocolContext, text: string, words?: TranscriptWord[]) => {
    interim = ''
    const slot = owed.find((commit) => !commit.final)
    // A commit the provider made by itself (VAD, or at 90 s): reported as it comes.
    if (!slot) return context.emit({ type: 'final', text: text.trim(), ...(words?.length ? { words } : {}) })
    slot.final = { text: text.trim(), words }
    flush(context)
  }
  /** The held final goes without words. */
  const release = (context: ProtocolContext) => {
    clearTimeout(heldTimer)
    if (held === undefined) return
    const text = held
    held = undefined
    orphans++
    final(context, text)
  }
  const commit = (): string[] => {
    if (framer.total === committedAt) return []
    previousCommit = committedAt
    committedAt = framer.total
    owed.push({})
    return [...framer.flush().map((audio) => chunk(audio)), chunk('', true)]
  }

  return {
    sampleRate: ELEVENLABS_REALTIME_RATE,
    address(url, token) {
      const query = url.searchParams
      query.set('model_id', options.transcriptionModel ?? ELEVENLABS_DEFAULT_REALTIME_MODEL)
      query.set('audio_format', `pcm_${ELEVENLABS_REALTIME_RATE}`)
      query.set('commit_strategy', options.commitStrategy ?? 'manual')
      query.set('include_timestamps', String(timestamps))
      if (language) query.set('language_code', language)
      const vad = options.vad ?? {}
      const numbers = [
        ['vad_silence_threshold_secs', vad.silenceThresholdSecs],
        ['vad_threshold', vad.threshold],
        ['min_speech_duration_ms', vad.minSpeechDurationMs],
        ['min_silence_duration_ms', vad.minSilenceDurationMs],
      ] as const
      for (const [name, value] of numbers) if (value !== undefined) query.set(name, String(value))
      if (token) query.set('token', token)
      return undefined
    },
    opening: () => [],
    audio: (samples) => framer.push(samples).map((audio) => chunk(audio)),
    commit,
    end: () => [...framer.end().map((audio) => chunk(audio)), ...commit()],
    settled: () => owed.length === 0 && held === undefined,
    receive(message, context) {
      const type = str(message.message_type)
      const text = typeof message.text === 'string' ? message.text.trim() : ''
      switch (type) {
        case 'session_started':
          return context.ready()
        case 'partial_transcript':
          release(context)
          if (text !== interim) context.emit({ type: 'interim', text })
          interim = text
          return
        case 'committed_transcript':
          release(context)
          if (!timestamps) return final(context, text)
          held = text
          heldTimer = setTimeout(() => release(context), WORDS_WAIT_MS)
          return
        case 'committed_transcript_with_timestamps': {
          clearTimeout(heldTimer)
          const words = elevenlabsRealtimeWords(message.words)
          if (held !== undefined) {
            held = undefined
            return final(context, text, words)
          }
          if (orphans > 0) {
            orphans-- // the words of a final already reported without them
            return
          }
          return final(context, text, words)
        }
      }
      if (type === undefined || (!Object.hasOwn(errorTypes, type) && message.error === undefined)) return
      release(context)
      const [code, fatal, retryable] = errorTypes[type] ?? (['provider_error', false, false] as const)
      const error = new VoiceError(code, str(message.error) ?? str(message.message) ?? type, {
        provider,
        providerCode: type,
        retryable,
      })
      if (fatal) return context.fail(error)
      context.emit({ type: 'error', error, fatal: false })
      if (type === 'commit_throttled') {
        // The latest commit was refused: its audio is still uncommitted and goes with the next commit; its
        // final is '' in its place, so every commit still gets one.
        const refused = owed.findLast((commit) => !commit.final)
        if (refused) {
          committedAt = previousCommit
          refused.final = { text: '' }
          flush(context)
        }
      }
    },
    drain: release,
    dispose: () => clearTimeout(heldTimer),
  }
}

/** `openTranscriptionStream` of the ElevenLabs transport (see `ElevenLabsTransportOptions.realtime`). */
export function openElevenLabsTranscriptionStream(
  transport: ElevenLabsTransportOptions,
  options: ElevenLabsRealtimeOptions,
  stream: StreamingTranscriptionOptions,
  decodeError: ErrorDecoder,
): Promise<StreamingTranscriptionSession> {
  const connection = resolveConnection(options.connection, {
    provider,
    options: transport,
    socketPath: ELEVENLABS_REALTIME_PATH,
    tokenPath: ELEVENLABS_REALTIME_TOKEN_PATH,
    readToken: (body) => (isRecord(body) ? body.token : undefined),
    providerUrl: ELEVENLABS_REALTIME_URL,
    decodeError,
  })
  return openStreamingSession(
    provider,
    connection,
    elevenlabsRealtimeProtocol(options, stream.language),
    stream,
    options,
  )
}
