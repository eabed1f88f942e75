// OpenAI Realtime transcription against a real WebSocket server (`ws`): the wire format both ways, the
// order of finals, the errors and the socket's end. No timing: every wait is for an event or a message.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { WebSocket as WS } from 'ws'
import { isVoiceError, type VoiceError } from '../../errors'
import type { Json } from '../../transport/decode'
import type { StreamingTranscriptionOptions } from '../../transport/streaming'
import { decodePcm16, eventLog, sine16k, useSocketServer } from '../../transport/streaming-test-server'
import { createOpenAITranscriber, createOpenAITransport, type OpenAIRealtimeOptions } from './openai'

const server = useSocketServer()

afterEach(() => {
  vi.unstubAllGlobals()
})

const baseUrl = () => `${server.http}/api/voice/openai`
const transport = (realtime: OpenAIRealtimeOptions = {}, fetch?: typeof globalThis.fetch) =>
  createOpenAITransport({ baseUrl: baseUrl(), realtime: { WebSocket: WS, ...realtime }, fetch })

async function open(realtime?: OpenAIRealtimeOptions, options: Partial<StreamingTranscriptionOptions> = {}) {
  const log = eventLog()
  const session = await transport(realtime).openTranscriptionStream({ onEvent: log.onEvent, ...options })
  const peer = await server.connection()
  return { log, session, peer }
}

/** Open, and accept the session as OpenAI does. */
async function started(realtime?: OpenAIRealtimeOptions, options?: Partial<StreamingTranscriptionOptions>) {
  const opened = await open(realtime, options)
  await opened.peer.next('session.update')
  opened.peer.send({ type: 'session.updated', event_id: 'e1', session: { type: 'transcription' } })
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

const appends = (messages: Json[]) => messages.filter((m) => m.type === 'input_audio_buffer.append')
const item = (id: string) => ({ item_id: id, content_index: 0 })

describe('openai realtime: the session', () => {
  test('relays at {baseUrl}/realtime?intent=transcription; session.update first, manual commits', async () => {
    const { session, peer } = await open({}, { language: 'en' })
    expect(session.sampleRate).toBe(24_000)
    expect(peer.url).toBe('/api/voice/openai/realtime?intent=transcription')
    expect(peer.headers['sec-websocket-protocol']).toBeUndefined()
    expect(await peer.next()).toEqual({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24_000 },
            transcription: { model: 'gpt-4o-transcribe', language: 'en' },
            turn_detection: null,
          },
        },
      },
    })
    session.close()
  })

  test('model, prompt, server VAD and noise reduction reach session.update', async () => {
    const { session, peer } = await open({
      transcriptionModel: 'gpt-4o-mini-transcribe',
      prompt: 'Kitchen, lights',
      turnDetection: { type: 'server_vad', threshold: 0.6, prefixPaddingMs: 200, silenceDurationMs: 400 },
      noiseReduction: 'near_field',
    })
    const update = await peer.next('session.update')
    expect((update.session as Json).audio).toEqual({
      input: {
        format: { type: 'audio/pcm', rate: 24_000 },
        transcription: { model: 'gpt-4o-mini-transcribe', prompt: 'Kitchen, lights' },
        turn_detection: { type: 'server_vad', threshold: 0.6, prefix_padding_ms: 200, silence_duration_ms: 400 },
        noise_reduction: { type: 'near_field' },
      },
    })
    session.close()
    const semantic = await open({ turnDetection: { type: 'semantic_vad', eagerness: 'low' } })
    const input = (((await semantic.peer.next('session.update')).session as Json).audio as Json).input as Json
    expect(input.turn_detection).toEqual({ type: 'semantic_vad', eagerness: 'low' })
    semantic.session.close()
  })

  test('`realtime: true` uses the global WebSocket and the relay; without one it is not_supported', async () => {
    const make = () => createOpenAITranscriber({ baseUrl: baseUrl(), realtime: true })
    const missing = await rejection(make().openTranscriptionStream({ onEvent() {} }))
    expect(missing).toMatchObject({ code: 'not_supported', provider: 'openai' })
    vi.stubGlobal('WebSocket', WS)
    const session = await make().openTranscriptionStream({ onEvent() {} })
    expect((await server.connection()).url).toBe('/api/voice/openai/realtime?intent=transcription')
    session.close()
  })

  test('a relative relay resolves on the page, as ws:; outside a page it is refused', async () => {
    const relative = { connection: { relay: '/custom/socket' } }
    const refused = await rejection(transport(relative).openTranscriptionStream({ onEvent() {} }))
    expect(refused.code).toBe('invalid_request')
    vi.stubGlobal('location', new URL(`${server.http}/app/page`))
    const session = await transport(relative).openTranscriptionStream({ onEvent() {} })
    expect((await server.connection()).url).toBe('/custom/socket?intent=transcription')
    session.close()
  })

  test('without `realtime` there is no openTranscriptionStream', () => {
    expect(createOpenAITransport({ baseUrl: baseUrl() }).openTranscriptionStream).toBeUndefined()
  })
})

describe('openai realtime: audio', () => {
  test('PCM16 little-endian at 24 kHz in 100 ms appends; a sine survives; commit flushes the partial frame', async () => {
    const { session, peer } = await started()
    const sine = sine16k(1, 400)
    for (let i = 0; i < sine.length; i += 1234) session.send(sine.subarray(i, i + 1234))
    session.commit()
    await peer.next('input_audio_buffer.commit')
    const sent = appends(peer.messages)
    for (const message of sent) expect(Object.keys(message).sort()).toEqual(['audio', 'type'])
    const frames = sent.map((message) => decodePcm16(message.audio as string))
    const lengths = frames.map((frame) => frame.length)
    // Whole frames of 2400 samples, then what was left at the commit (the resampler holds a few back).
    expect(lengths.slice(0, -1).every((length) => length === 2400)).toBe(true)
    expect(lengths.at(-1)).toBeGreaterThan(0)
    expect(lengths.at(-1)).toBeLessThan(2400)
    const total = lengths.reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(24_000 - 48)
    expect(total).toBeLessThanOrEqual(24_000)
    // The commit comes after the last append.
    expect(peer.messages.at(-1)).toEqual({ type: 'input_audio_buffer.commit' })
    // A 400 Hz sine at 24 kHz (60 samples a period): fit it over whole periods away from the edges.
    const pcm = new Float32Array(total)
    let at = 0
    for (const frame of frames) {
      pcm.set(frame, at)
      at += frame.length
    }
    const window = pcm.subarray(1200, 1200 + 60 * 300)
    let cos = 0
    let sin = 0
    for (let n = 0; n < window.length; n++) {
      cos += window[n]! * Math.cos((2 * Math.PI * 400 * (n + 1200)) / 24_000)
      sin += window[n]! * Math.sin((2 * Math.PI * 400 * (n + 1200)) / 24_000)
    }
    const a = (2 * cos) / window.length
    const b = (2 * sin) / window.length
    expect(Math.hypot(a, b)).toBeCloseTo(0.5, 2)
    let residual = 0
    let energy = 0
    for (let n = 0; n < window.length; n++) {
      const phase = (2 * Math.PI * 400 * (n + 1200)) / 24_000
      residual += (window[n]! - a * Math.cos(phase) - b * Math.sin(phase)) ** 2
      energy += window[n]! ** 2
    }
    expect(residual / energy).toBeLessThan(1e-4)
    session.close()
  })

  test('a commit of under 100 ms is not sent: its final is "", its audio goes with the next commit', async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.05))
    session.commit()
    expect(log.of('final')).toEqual([]) // reported after commit() returns
    await log.until('final')
    session.send(sine16k(0.1))
    session.commit()
    await peer.next('input_audio_buffer.commit')
    const samples = appends(peer.messages).reduce((sum, m) => sum + decodePcm16(m.audio as string).length, 0)
    expect(samples).toBeGreaterThan(0.15 * 24_000 - 48)
    expect(peer.messages.filter((m) => m.type === 'input_audio_buffer.commit')).toHaveLength(1)
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'a', previous_item_id: null })
    peer.send({ type: 'conversation.item.input_audio_transcription.completed', ...item('a'), transcript: 'Hi there' })
    await log.until('final', 2)
    expect(log.of('final')).toEqual([
      { type: 'final', text: '' },
      { type: 'final', text: 'Hi there' },
    ])
    session.close()
  })

  test("a short commit's final '' waits its turn behind the commits before it", async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.2))
    session.commit()
    session.send(sine16k(0.05))
    session.commit()
    await peer.next('input_audio_buffer.commit')
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'a', previous_item_id: null })
    peer.send({ type: 'conversation.item.input_audio_transcription.completed', ...item('a'), transcript: 'First' })
    await log.until('final', 2)
    expect(log.of('final')).toEqual([
      { type: 'final', text: 'First' },
      { type: 'final', text: '' },
    ])
    session.close()
  })

  test('audio sent before session.updated is held, then sent in order', async () => {
    const sockets: FakeSocket[] = []
    class FakeSocket {
      readyState = 0
      sent: Json[] = []
      onopen: ((event: object) => void) | null = null
      onmessage: ((event: { data: string }) => void) | null = null
      onerror: ((event: object) => void) | null = null
      onclose: ((event: { code: number; reason: string }) => void) | null = null
      constructor(readonly url: string) {
        sockets.push(this)
        queueMicrotask(() => {
          this.readyState = 1
          this.onopen?.({})
        })
      }
      send(data: string) {
        this.sent.push(JSON.parse(data) as Json)
      }
      close() {
        this.readyState = 3
      }
    }
    const session = await transport({ WebSocket: FakeSocket }).openTranscriptionStream({ onEvent() {} })
    const socket = sockets[0]!
    session.send(sine16k(0.5))
    session.commit()
    expect(socket.sent.map((m) => m.type)).toEqual(['session.update'])
    socket.onmessage?.({ data: JSON.stringify({ type: 'session.updated', session: {} }) })
    const types = socket.sent.map((m) => m.type)
    expect(types[0]).toBe('session.update')
    expect(types.at(-1)).toBe('input_audio_buffer.commit')
    expect(types.slice(1, -1).every((type) => type === 'input_audio_buffer.append')).toBe(true)
    expect(types.length).toBeGreaterThan(5)
    session.close()
  })
})

describe('openai realtime: transcripts', () => {
  test("interim text is the item's deltas so far; the final is its transcript", async () => {
    const { session, peer, log } = await started()
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'item_1', previous_item_id: null })
    peer.send({ type: 'conversation.item.input_audio_transcription.delta', ...item('item_1'), delta: 'Turn on' })
    peer.send({ type: 'conversation.item.input_audio_transcription.delta', ...item('item_1'), delta: ' the lights' })
    peer.send({
      type: 'conversation.item.input_audio_transcription.completed',
      ...item('item_1'),
      transcript: 'Turn on the lights.',
    })
    await log.until('final')
    expect(log.events.slice(1)).toEqual([
      { type: 'interim', text: 'Turn on' },
      { type: 'interim', text: 'Turn on the lights' },
      { type: 'final', text: 'Turn on the lights.' },
    ])
    session.close()
  })

  test('finals come in commit order when the completions arrive out of order', async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.2))
    session.commit()
    await peer.next('input_audio_buffer.commit')
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'a', previous_item_id: null })
    session.send(sine16k(0.2))
    session.commit()
    await peer.next('input_audio_buffer.commit')
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'b', previous_item_id: 'a' })
    peer.send({ type: 'conversation.item.input_audio_transcription.delta', ...item('b'), delta: 'second' })
    peer.send({ type: 'conversation.item.input_audio_transcription.completed', ...item('b'), transcript: 'second' })
    peer.send({ type: 'conversation.item.input_audio_transcription.delta', ...item('a'), delta: 'first' })
    peer.send({ type: 'conversation.item.input_audio_transcription.completed', ...item('a'), transcript: 'first' })
    await log.until('final', 2)
    expect(log.events.filter((e) => e.type === 'interim' || e.type === 'final')).toEqual([
      { type: 'interim', text: 'second' },
      { type: 'interim', text: 'first second' },
      { type: 'final', text: 'first' },
      { type: 'final', text: 'second' },
    ])
    session.close()
  })

  test('server VAD: speech started / stopped in seconds, and its own commits give finals', async () => {
    const { session, peer, log } = await started({ turnDetection: { type: 'server_vad' } })
    peer.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 1500, item_id: 'v1' })
    peer.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 2750, item_id: 'v1' })
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'v1', previous_item_id: null })
    peer.send({ type: 'conversation.item.input_audio_transcription.completed', ...item('v1'), transcript: ' Hi. ' })
    await log.until('final')
    expect(log.events.slice(1)).toEqual([
      { type: 'speech-started', at: 1.5 },
      { type: 'speech-stopped', at: 2.75 },
      { type: 'final', text: 'Hi.' },
    ])
    session.close()
  })

  test('finish() commits what is left, waits for its final, then closes with 1000', async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.3))
    const finished = session.finish()
    await peer.next('input_audio_buffer.commit')
    expect(appends(peer.messages).length).toBeGreaterThan(0)
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'last', previous_item_id: null })
    peer.send({ type: 'conversation.item.input_audio_transcription.completed', ...item('last'), transcript: 'Done.' })
    await finished
    expect(log.events.slice(-2)).toEqual([
      { type: 'final', text: 'Done.' },
      { type: 'closed', code: 1000, reason: '' },
    ])
    expect((await peer.closed).code).toBe(1000)
  })

  test('finish() with nothing to commit closes at once; a silent provider cannot hang it', async () => {
    const quiet = await started()
    await quiet.session.finish()
    expect(quiet.log.events.at(-1)).toEqual({ type: 'closed', code: 1000, reason: '' })
    expect(quiet.peer.messages.map((m) => m.type)).toEqual(['session.update'])

    const silent = await started({ finishTimeoutMs: 20 })
    silent.session.send(sine16k(0.3))
    await silent.session.finish()
    const closed = silent.log.of('closed')[0]
    expect(closed?.error).toMatchObject({ code: 'timeout', provider: 'openai' })
    expect((await silent.peer.closed).code).toBe(1000)
  })

  test('close() closes with 1000 and reports nothing more', async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.3))
    session.close()
    expect((await peer.closed).code).toBe(1000)
    await session.finish()
    expect(log.events).toEqual([{ type: 'ready' }])
  })
})

describe('openai realtime: errors', () => {
  test.each([
    [{ type: 'invalid_request_error', code: 'invalid_value', message: 'Bad value.' }, 'invalid_request', false],
    [{ type: 'server_error', code: null, message: 'The server had an error.' }, 'provider_unavailable', true],
    [{ type: 'requests', code: 'rate_limit_exceeded', message: 'Slow down.' }, 'quota_exceeded', true],
    [{ type: 'invalid_request_error', code: 'invalid_api_key', message: 'Bad key.' }, 'unauthorized', false],
    [{ type: 'invalid_request_error', code: 'model_not_found', message: 'No model.' }, 'provider_misconfigured', false],
  ] as const)('error %o → %s, the session goes on', async (error, code, retryable) => {
    const { session, peer, log } = await started()
    peer.send({ type: 'error', event_id: 'e9', error: { ...error, param: null, event_id: null } })
    const reported = await log.until('error')
    expect(reported.fatal).toBe(false)
    expect(reported.error).toMatchObject({
      code,
      retryable,
      provider: 'openai',
      message: error.message,
      providerCode: error.code ?? error.type,
    })
    expect(log.of('closed')).toEqual([])
    session.close()
  })

  test("a failed transcription is an error, and its commit's final is '' with it; the finals after it still come", async () => {
    const { session, peer, log } = await started()
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'a', previous_item_id: null })
    peer.send({ type: 'input_audio_buffer.committed', item_id: 'b', previous_item_id: 'a' })
    peer.send({ type: 'conversation.item.input_audio_transcription.completed', ...item('b'), transcript: 'kept' })
    peer.send({
      type: 'conversation.item.input_audio_transcription.failed',
      ...item('a'),
      error: { type: 'transcription_error', code: 'audio_unintelligible', message: 'Audio unintelligible.' },
    })
    await log.until('final', 2)
    expect(log.of('error')[0]).toMatchObject({
      fatal: false,
      error: { code: 'provider_error', providerCode: 'audio_unintelligible', message: 'Audio unintelligible.' },
    })
    expect(log.of('final')).toEqual([
      { type: 'final', text: '', error: log.of('error')[0]?.error },
      { type: 'final', text: 'kept' },
    ])
    session.close()
  })

  test("input_audio_buffer_commit_empty is not an error: that commit's final is ''", async () => {
    const { session, peer, log } = await started()
    session.send(sine16k(0.2))
    session.commit()
    await peer.next('input_audio_buffer.commit')
    peer.send({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', message: 'Too little.' },
    })
    // Unasked for (the provider committed by itself): nothing at all.
    peer.send({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', message: 'Too little.' },
    })
    peer.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'x' })
    await log.until('speech-started')
    expect(log.events).toEqual([{ type: 'ready' }, { type: 'final', text: '' }, { type: 'speech-started', at: 0 }])
    session.close()
  })

  test('session_expired is fatal: error, then closed with it', async () => {
    const { peer, log } = await started()
    peer.send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'session_expired',
        message: 'Your session hit the maximum duration.',
      },
    })
    const closed = await log.until('closed')
    expect(log.of('error')[0]).toMatchObject({
      fatal: true,
      error: { code: 'timeout', providerCode: 'session_expired' },
    })
    expect(closed.error).toBe(log.of('error')[0]?.error)
    expect((await peer.closed).code).toBe(1000)
  })

  test('a dropped socket gives closed with a retryable network error', async () => {
    const { peer, log } = await started()
    peer.terminate()
    const closed = await log.until('closed')
    expect(closed.code).toBe(1006)
    expect(closed.error).toMatchObject({ code: 'network', retryable: true, provider: 'openai' })
  })

  test.each([
    [1011, 'Internal error', 'provider_unavailable', true],
    [1008, 'Quota exceeded for this key', 'quota_exceeded', false],
    [1009, 'Message too big', 'audio_too_large', false],
    [4401, 'Token expired', 'unauthorized', false],
  ] as const)('the server closes with %i → %s', async (code, reason, expected, retryable) => {
    const { peer, log } = await started()
    peer.close(code, reason)
    const closed = await log.until('closed')
    expect(closed).toMatchObject({ code, reason })
    expect(closed.error).toMatchObject({ code: expected, retryable, message: reason })
  })

  test('the server closes cleanly (1000): closed without an error', async () => {
    const { peer, log } = await started()
    peer.close(1000, 'bye')
    expect(await log.until('closed')).toEqual({ type: 'closed', code: 1000, reason: 'bye' })
  })
})

describe('openai realtime: connecting', () => {
  test('`{ token: true }`: a client secret per socket from the token route, in the subprotocols', async () => {
    const calls: { url: string; method?: string; headers: Headers }[] = []
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, method: init.method, headers: new Headers(init.headers) })
      return Response.json({ value: `ek_${calls.length}`, expires_at: 0, session: {} })
    }) as typeof globalThis.fetch
    const make = () =>
      createOpenAITransport({
        baseUrl: baseUrl(),
        headers: { 'x-csrf': 't1' },
        fetch,
        realtime: { WebSocket: WS, connection: { token: true, url: `${server.url}/v1/realtime` } },
      })
    for (const n of [1, 2]) {
      const session = await make().openTranscriptionStream({ onEvent() {} })
      const peer = await server.connection()
      expect(peer.url).toBe('/v1/realtime?intent=transcription')
      expect(peer.headers['sec-websocket-protocol']?.split(/,\s*/)).toEqual([
        'realtime',
        `openai-insecure-api-key.ek_${n}`,
      ])
      expect(peer.protocol).toBe('realtime')
      session.close()
    }
    expect(calls.map((call) => [call.method, call.url, call.headers.get('x-csrf')])).toEqual([
      ['POST', `${baseUrl()}/realtime/client_secrets`, 't1'],
      ['POST', `${baseUrl()}/realtime/client_secrets`, 't1'],
    ])
  })

  test("a token function of the app's own, and a refused token route", async () => {
    const session = await transport({
      connection: { token: async () => 'ek_own', url: `${server.url}/v1/realtime` },
    }).openTranscriptionStream({ onEvent() {} })
    expect((await server.connection()).headers['sec-websocket-protocol']).toContain('openai-insecure-api-key.ek_own')
    session.close()
    const refused = async () =>
      Response.json({ error: { message: 'Not signed in', type: 'invalid_request_error', code: null } }, { status: 401 })
    const error = await rejection(
      transport({ connection: { token: true } }, refused as typeof fetch).openTranscriptionStream({ onEvent() {} }),
    )
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, message: 'Not signed in' })
  })

  test.each([
    [401, 'unauthorized', false],
    [403, 'unauthorized', false],
    [503, 'provider_unavailable', true],
  ] as const)('an upgrade refused with %i rejects with %s', async (status, code, retryable) => {
    server.upgrade({ status })
    const error = await rejection(transport().openTranscriptionStream({ onEvent() {} }))
    expect(error).toMatchObject({ code, status, retryable, provider: 'openai' })
  })

  test('nothing listening is a network error', async () => {
    const error = await rejection(
      transport({ connection: { relay: 'ws://127.0.0.1:9/realtime' } }).openTranscriptionStream({ onEvent() {} }),
    )
    expect(error).toMatchObject({ code: 'network', retryable: true })
  })

  test('aborting while connecting rejects with aborted; an aborted signal never connects', async () => {
    server.upgrade('hang')
    const controller = new AbortController()
    const opening = transport().openTranscriptionStream({ signal: controller.signal, onEvent() {} })
    await server.requested()
    controller.abort()
    expect((await rejection(opening)).code).toBe('aborted')
    const early = await rejection(transport().openTranscriptionStream({ signal: AbortSignal.abort(), onEvent() {} }))
    expect(early.code).toBe('aborted')
  })

  test('a socket that never opens rejects with timeout (connectTimeoutMs)', async () => {
    server.upgrade('hang')
    const error = await rejection(transport({ connectTimeoutMs: 20 }).openTranscriptionStream({ onEvent() {} }))
    expect(error).toMatchObject({ code: 'timeout', provider: 'openai' })
  })

  test('aborting an open session closes it, reporting nothing more', async () => {
    const controller = new AbortController()
    const { peer, log } = await started({}, { signal: controller.signal })
    controller.abort()
    expect((await peer.closed).code).toBe(1000)
    expect(log.events).toEqual([{ type: 'ready' }])
  })
})

describe('openai realtime: the chunk', () => {
  afterEach(() => {
    vi.doUnmock('./realtime')
    vi.resetModules()
  })

  test('a real-time chunk that fails to load is a network error', async () => {
    vi.resetModules()
    vi.doMock('./realtime', () => {
      throw new TypeError('Failed to fetch dynamically imported module')
    })
    const { createOpenAITranscriber: create } = await import('./openai')
    const error = await create({ baseUrl: baseUrl(), realtime: true })
      .openTranscriptionStream({ onEvent() {} })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'network', retryable: true, provider: 'openai' })
  })
})
