// ElevenLabs Scribe realtime against a real WebSocket server (`ws`): the query, the audio chunks and commits,
// partial and committed transcripts (words from the timestamped one), the error message types and the
// socket's end. No timing: every wait is for an event or a message.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { WebSocket as WS } from 'ws'
import { isVoiceError, type VoiceError } from '../../errors'
import type { Json } from '../../transport/decode'
import type { StreamingTranscriptionOptions } from '../../transport/streaming'
import { decodePcm16, eventLog, sine16k, useSocketServer } from '../../transport/streaming-test-server'
import { createElevenLabsTranscriber, createElevenLabsTransport, type ElevenLabsRealtimeOptions } from './elevenlabs'

const server = useSocketServer()

const baseUrl = () => `${server.http}/api/voice/elevenlabs`
const transport = (realtime: ElevenLabsRealtimeOptions = {}, fetch?: typeof globalThis.fetch) =>
  createElevenLabsTransport({ baseUrl: baseUrl(), realtime: { WebSocket: WS, ...realtime }, fetch })

async function open(realtime?: ElevenLabsRealtimeOptions, options: Partial<StreamingTranscriptionOptions> = {}) {
  const log = eventLog()
  const session = await transport(realtime).openTranscriptionStream({ onEvent: log.onEvent, ...options })
  const peer = await server.connection()
  return { log, session, peer }
}

/** Open, and start the session as Scribe does. */
async function started(realtime?: ElevenLabsRealtimeOptions, options?: Partial<StreamingTranscriptionOptions>) {
  const opened = await open(realtime, options)
  opened.peer.send({ message_type: 'session_started', session_id: 's1', config: {} })
  await opened.log.until('ready')
  return opened
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => {
      expect(isVoiceError(error)).toBe(true)
      return error as VoiceError
    },
  )

const query = (url: string) => Object.fromEntries(new URL(url, 'ws://x').searchParams)
const isCommit = (message: Json) => message.message_type === 'input_audio_chunk' && message.commit === true

const words = [
  { text: 'Turn', start: 0.1, end: 0.3, type: 'word', logprob: -0.1 },
  { text: ' ', start: 0.3, end: 0.32, type: 'spacing' },
  { text: 'on', start: 0.32, end: 0.5, type: 'word' },
  { text: '(laughs)', start: 0.5, end: 0.9, type: 'audio_event' },
]

describe('elevenlabs realtime: the session', () => {
  test('relays at {baseUrl}/v1/speech-to-text/realtime with the query; 16 kHz; nothing sent on open', async () => {
    const { session, peer, log } = await open({}, { language: 'en' })
    expect(session.sampleRate).toBe(16_000)
    expect(peer.url.split('?')[0]).toBe('/api/voice/elevenlabs/v1/speech-to-text/realtime')
    expect(query(peer.url)).toEqual({
      model_id: 'scribe_v2_realtime',
      audio_format: 'pcm_16000',
      commit_strategy: 'manual',
      include_timestamps: 'true',
      language_code: 'en',
    })
    session.send(sine16k(0.3))
    peer.send({ message_type: 'session_started', session_id: 's1', config: {} })
    await log.until('ready')
    const first = await peer.next()
    expect(first.message_type).toBe('input_audio_chunk') // the audio waited for session_started
    session.close()
  })

  test('session_started sent with the handshake is not lost', async () => {
    server.greet({ message_type: 'session_started', session_id: 's1', config: {} })
    const log = eventLog()
    const session = await transport().openTranscriptionStream({ onEvent: log.onEvent })
    await log.until('ready')
    session.close()
  })

  test('model, VAD commits and no timestamps reach the query', async () => {
    const { session, peer } = await open({
      transcriptionModel: 'scribe_v3_realtime',
      commitStrategy: 'vad',
      vad: { silenceThresholdSecs: 0.8, threshold: 0.4, minSpeechDurationMs: 120, minSilenceDurationMs: 300 },
      timestamps: false,
    })
    expect(query(peer.url)).toEqual({
      model_id: 'scribe_v3_realtime',
      audio_format: 'pcm_16000',
      commit_strategy: 'vad',
      include_timestamps: 'false',
      vad_silence_threshold_secs: '0.8',
      vad_threshold: '0.4',
      min_speech_duration_ms: '120',
      min_silence_duration_ms: '300',
    })
    session.close()
  })

  test('`{ token: true }`: a single-use token per socket from the token route, in `?token=`', async () => {
    const calls: { url: string; method?: string }[] = []
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, method: init.method })
      return Response.json({ token: `sutkn_${calls.length}` })
    }) as typeof globalThis.fetch
    for (const n of [1, 2]) {
      const session = await transport(
        { connection: { token: true, url: `${server.url}/v1/speech-to-text/realtime` } },
        fetch,
      ).openTranscriptionStream({ onEvent() {} })
      const peer = await server.connection()
      expect(peer.url.split('?')[0]).toBe('/v1/speech-to-text/realtime')
      expect(query(peer.url).token).toBe(`sutkn_${n}`)
      expect(peer.headers['sec-websocket-protocol']).toBeUndefined()
      session.close()
    }
    expect(calls).toEqual([
      { method: 'POST', url: `${baseUrl()}/v1/single-use-token/realtime_scribe` },
      { method: 'POST', url: `${baseUrl()}/v1/single-use-token/realtime_scribe` },
    ])
  })

  test('a token route answering without a token is bad_response; a refused upgrade is unauthorized', async () => {
    const empty = (async () => Response.json({})) as typeof fetch
    const error = await rejection(
      transport({ connection: { token: true } }, empty).openTranscriptionStream({ onEvent() {} }),
    )
    expect(error).toMatchObject({ code: 'bad_response', provider: 'elevenlabs' })
    server.upgrade({ status: 401 })
    const refused = await rejection(transport().openTranscriptionStream({ onEvent() {} }))
    expect(refused).toMatchObject({ code: 'unauthorized', status: 401 })
  })

  test('aborting while connecting rejects with aborted', async () => {
    server.upgrade('hang')
    const controller = new AbortController()
    const opening = transport().openTranscriptionStream({ signal: controller.signal, onEvent() {} })
    await server.requested()
    controller.abort()
    expect((await rejection(opening)).code).toBe('aborted')
  })

  test('without `realtime` there is no openTranscriptionStream', () => {
    expect(createElevenLabsTranscriber({ baseUrl: baseUrl() }).openTranscriptionStream).toBeUndefined()
  })
})

describe('elevenlabs realtime: audio', () => {
  test('input_audio_chunk of 4000 PCM16 samples at 16 kHz, exactly the input; commit flushes, then an empty commit', async () => {
    const { session, peer } = await started()
    const sine = sine16k(0.6)
    for (let i = 0; i < sine.length; i += 777) session.send(sine.subarray(i, i + 777))
    session.commit()
    const commit = await peer.next(isCommit)
    expect(commit).toEqual({ message_type: 'input_audio_chunk', audio_base_64: '', commit: true, sample_rate: 16_000 })
    const chunks = peer.messages.filter((m) => m.message_type === 'input_audio_chunk' && !m.commit)
    for (const chunk of chunks) {
      expect(Object.keys(chunk).sort()).toEqual(['audio_base_64', 'commit', 'message_type', 'sample_rate'])
      expect(chunk).toMatchObject({ commit: false, sample_rate: 16_000 })
    }
    const frames = chunks.map((chunk) => decodePcm16(chunk.audio_base_64 as string))
    expect(frames.map((frame) => frame.length)).toEqual([4000, 4000, 1600])
    const pcm = new Float32Array(9600)
    for (const [i, frame] of frames.entries()) pcm.set(frame, i * 4000)
    for (let i = 0; i < pcm.length; i++) expect(Math.abs(pcm[i]! - sine[i]!)).toBeLessThan(1 / 16_000)
    expect(peer.messages.at(-1)).toBe(commit)
    session.close()
  })

  test('a commit with no audio since the last one sends nothing', async () => {
    const { session, peer } = await started()
    session.commit()
    session.send(sine16k(0.1))
    session.commit()
    session.commit()
    await peer.next(isCommit)
    session.send(sine16k(0.1))
    session.commit()
    await peer.next(isCommit)
    expect(peer.messages.filter(isCommit)).toHaveLength(2)
    session.close()
  })
})

describe('elevenlabs realtime: transcripts', () => {
  test('partial → interim; committed + with_timestamps → one final with its words (word items only)', async () => {
    const { session, peer, log } = await started()
    peer.send({ message_type: 'partial_transcript', text: 'Turn' })
    peer.send({ message_type: 'partial_transcript', text: 'Turn on' })
    peer.send({ message_type: 'committed_transcript', text: 'Turn on' })
    peer.send({ message_type: 'committed_transcript_with_timestamps', text: 'Turn on', language_code: 'en', words })
    await log.until('final')
    expect(log.events.slice(1)).toEqual([
      { type: 'interim', text: 'Turn' },
      { type: 'interim', text: 'Turn on' },
      {
        type: 'final',
        text: 'Turn on',
        words: [
          { text: 'Turn', start: 0.1, end: 0.3 },
          { text: 'on', start: 0.32, end: 0.5 },
        ],
      },
    ])
    session.close()
  })

  test('words that do not come: the final goes without them at the next message, once', async () => {
    const { session, peer, log } = await started()
    peer.send({ message_type: 'committed_transcript', text: 'First.' })
    peer.send({ message_type: 'partial_transcript', text: 'Sec' })
    // Late words for "First.": not a final of their own.
    peer.send({ message_type: 'committed_transcript_with_timestamps', text: 'First.', words })
    peer.send({ message_type: 'committed_transcript', text: 'Second.' })
    peer.send({ message_type: 'committed_transcript_with_timestamps', text: 'Second.', words: [] })
    await log.until('final', 2)
    expect(log.events.slice(1)).toEqual([
      { type: 'final', text: 'First.' },
      { type: 'interim', text: 'Sec' },
      { type: 'final', text: 'Second.' },
    ])
    session.close()
  })

  test('timestamps off: committed_transcript is the final at once', async () => {
    const { session, peer, log } = await started({ timestamps: false })
    peer.send({ message_type: 'committed_transcript', text: ' Hello. ' })
    expect(await log.until('final')).toEqual({ type: 'final', text: 'Hello.' })
    session.close()
  })

  test('finish() commits, waits for the final and its words, then closes with 1000', async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.3))
    const finished = session.finish()
    await peer.next(isCommit)
    peer.send({ message_type: 'committed_transcript', text: 'Done.' })
    peer.send({ message_type: 'committed_transcript_with_timestamps', text: 'Done.', words: words.slice(0, 1) })
    await finished
    expect(log.events.slice(-2)).toEqual([
      { type: 'final', text: 'Done.', words: [{ text: 'Turn', start: 0.1, end: 0.3 }] },
      { type: 'closed', code: 1000, reason: '' },
    ])
    expect((await peer.closed).code).toBe(1000)
  })

  test('the socket closing while a final waits for its words: the final, then closed', async () => {
    const { peer, log } = await started()
    peer.send({ message_type: 'committed_transcript', text: 'Kept.' })
    peer.close(1000, '')
    await log.until('closed')
    expect(log.events.slice(1)).toEqual([
      { type: 'final', text: 'Kept.' },
      { type: 'closed', code: 1000, reason: '' },
    ])
  })

  test('close() reports nothing more', async () => {
    const { session, peer, log } = await started()
    session.close()
    expect((await peer.closed).code).toBe(1000)
    expect(log.events).toEqual([{ type: 'ready' }])
  })
})

describe('elevenlabs realtime: errors', () => {
  test.each([
    ['auth_error', 'unauthorized', true, false],
    ['quota_exceeded', 'quota_exceeded', true, false],
    ['unaccepted_terms', 'provider_misconfigured', true, false],
    ['session_time_limit_exceeded', 'timeout', true, true],
    ['rate_limited', 'quota_exceeded', false, true],
    ['commit_throttled', 'quota_exceeded', false, true],
    ['chunk_size_exceeded', 'audio_too_large', false, false],
    ['input_error', 'invalid_request', false, false],
    ['invalid_request', 'invalid_request', false, false],
    ['transcriber_error', 'provider_unavailable', false, true],
    ['resource_exhausted', 'provider_unavailable', false, true],
    ['queue_overflow', 'provider_unavailable', false, true],
    ['insufficient_audio_activity', 'no_audio', false, false],
    ['error', 'provider_error', false, false],
  ] as const)('%s → %s (fatal %s)', async (type, code, fatal, retryable) => {
    const { session, peer, log } = await started()
    peer.send({ message_type: type, error: `The words of ${type}.` })
    const reported = await log.until('error')
    expect(reported).toMatchObject({ fatal })
    expect(reported.error).toMatchObject({
      code,
      retryable,
      provider: 'elevenlabs',
      providerCode: type,
      message: `The words of ${type}.`,
    })
    if (fatal) {
      expect(await log.until('closed')).toMatchObject({ error: reported.error })
      expect((await peer.closed).code).toBe(1000)
    } else {
      expect(log.of('closed')).toEqual([])
      session.close()
    }
  })

  test("a throttled commit's final is '' in its place; its audio goes with the next commit", async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.1))
    session.commit()
    await peer.next(isCommit)
    session.send(sine16k(0.1))
    session.commit()
    await peer.next(isCommit)
    peer.send({ message_type: 'commit_throttled', error: 'Commit throttled.' }) // the second one
    await log.until('error')
    session.commit() // no new audio, but the refused commit's audio is still uncommitted
    await peer.next(isCommit)
    expect(peer.messages.filter(isCommit)).toHaveLength(3)
    peer.send({ message_type: 'committed_transcript', text: 'One.' })
    peer.send({ message_type: 'committed_transcript_with_timestamps', text: 'One.', words: [] })
    peer.send({ message_type: 'committed_transcript', text: 'Two.' })
    peer.send({ message_type: 'committed_transcript_with_timestamps', text: 'Two.', words: [] })
    await log.until('final', 3)
    expect(log.of('final').map((final) => final.text)).toEqual(['One.', '', 'Two.'])
    session.close()
  })

  test('a dropped socket gives closed with a retryable network error', async () => {
    const { peer, log } = await started()
    peer.terminate()
    const closed = await log.until('closed')
    expect(closed.code).toBe(1006)
    expect(closed.error).toMatchObject({ code: 'network', retryable: true, provider: 'elevenlabs' })
  })

  test('the server closes with 1008 and a reason: the reason is the message', async () => {
    const { peer, log } = await started()
    peer.close(1008, 'Invalid or expired token')
    const closed = await log.until('closed')
    expect(closed.error).toMatchObject({
      code: 'unauthorized',
      retryable: false,
      message: 'Invalid or expired token',
      providerCode: '1008',
    })
  })
})

describe('elevenlabs realtime: the chunk', () => {
  afterEach(() => {
    vi.doUnmock('./realtime')
    vi.resetModules()
  })

  test('a real-time chunk that fails to load is a network error', async () => {
    vi.resetModules()
    vi.doMock('./realtime', () => {
      throw new TypeError('Failed to fetch dynamically imported module')
    })
    const { createElevenLabsTranscriber: create } = await import('./elevenlabs')
    const error = await create({ baseUrl: baseUrl(), realtime: true })
      .openTranscriptionStream({ onEvent() {} })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'network', retryable: true, provider: 'elevenlabs' })
  })
})
