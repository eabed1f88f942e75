// The x-speech-fault header: each fault does what it says, only when the server was started with faults on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  concat,
  decodedDuration,
  fixture,
  formWith,
  jsonBody,
  startTestServer,
  type TestServer,
  waitFor,
  walkMp3,
} from './helpers.ts'

let server: TestServer
let plain: TestServer
beforeAll(async () => {
  server = await startTestServer({ faults: true })
  plain = await startTestServer({ faults: false })
})
afterAll(async () => {
  await server.close()
  await plain.close()
})

const fault = (value: string) => ({ 'x-speech-fault': value, 'Content-Type': 'application/json' })
const speak = (text: string, faults: string, target = server, signal?: AbortSignal) =>
  target.post('/dify/v1/text-to-audio', {
    body: JSON.stringify({ text }),
    headers: fault(faults),
    ...(signal && { signal }),
  })
const wavForm = (field: string) =>
  formWith({ [field]: { data: fixture('weather.wav'), type: 'audio/wav' }, model: 'm' })

describe('status=NNN', () => {
  it('answers in each route’s provider shape', async () => {
    const ask = async (path: string, value: string, body: BodyInit) => {
      const response = await server.post(path, { body, headers: { 'x-speech-fault': value } })
      return { status: response.status, body: await response.json() }
    }
    expect(await ask('/dify/v1/audio-to-text', 'status=503', wavForm('file'))).toEqual({
      status: 503,
      body: { status: 503, code: 'service_unavailable', message: 'Service unavailable.' },
    })
    expect(await ask('/dify/v1/text-to-audio', 'status=500', JSON.stringify({ text: 'Hi.' }))).toEqual({
      status: 500,
      body: { status: 500, code: 'internal_server_error', message: 'Internal server error.' },
    })
    expect(await ask('/livepeer/audio-to-text', 'status=503', wavForm('audio'))).toEqual({
      status: 503,
      body: { detail: { msg: expect.any(String) } },
    })
    const livepeer422 = await ask('/livepeer/audio-to-text', 'status=422', wavForm('audio'))
    expect(livepeer422.status).toBe(422)
    expect(livepeer422.body.detail[0]).toMatchObject({
      loc: expect.any(Array),
      msg: expect.any(String),
      type: expect.any(String),
    })
    expect(await ask('/fish/v1/asr', 'status=402', wavForm('audio'))).toEqual({
      status: 402,
      body: { status: 402, message: expect.any(String) },
    })
    const fish422 = await ask('/fish/v1/asr', 'status=422', wavForm('audio'))
    expect(fish422.status).toBe(422)
    expect(fish422.body[0]).toMatchObject({ loc: expect.any(Array), type: expect.any(String), msg: expect.any(String) })
    expect(await ask('/openai/v1/audio/transcriptions', 'status=429', wavForm('file'))).toEqual({
      status: 429,
      body: { error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    })
  })

  it('still checks the key first, and rejects a malformed header in the provider shape', async () => {
    const unauthorized = await server.post('/dify/v1/text-to-audio', { headers: fault('status=500'), auth: 'wrong' })
    expect(unauthorized.status).toBe(401)
    const malformed = await server.post('/dify/v1/text-to-audio', { body: '{}', headers: fault('status=500; explode') })
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({
      status: 400,
      code: 'invalid_param',
      message: expect.stringContaining('x-speech-fault'),
    })
  })
})

describe('delay=ms', () => {
  it('waits at least that long before answering, then answers normally', async () => {
    const started = performance.now()
    const response = await server.post('/dify/v1/text-to-audio', {
      body: JSON.stringify({ message_id: 'none' }),
      headers: fault('delay=400'),
    })
    const elapsed = performance.now() - started
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('null')
    expect(elapsed).toBeGreaterThanOrEqual(400)
  })
})

describe('stall', () => {
  it('sends the headers and the first sentence, then nothing, and cleans up when the client aborts', async () => {
    const controller = new AbortController()
    const response = await speak('The first sentence. The second sentence.', 'stall', server, controller.signal)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('audio/mpeg')
    // Read until nothing has come for a second: that is the stall.
    const reader = response.body!.getReader()
    const received: Uint8Array[] = []
    let next = reader.read()
    for (;;) {
      const outcome = await Promise.race([next, new Promise<'idle'>((r) => setTimeout(() => r('idle'), 1000))])
      if (outcome === 'idle') break
      expect(outcome.done).toBe(false)
      received.push(outcome.value!)
      next = reader.read()
    }
    // The first sentence arrived whole (one complete MP3 file), the second never did.
    const first = walkMp3(concat(received))
    expect(first.infoFrames).toBe(1)
    expect(first.strayBytes).toBe(0)
    const pending = next.then(
      () => 'more',
      () => 'aborted',
    )
    expect(server.activeRequests()).toBeGreaterThan(0)
    controller.abort()
    expect(await pending).toBe('aborted')
    expect(await waitFor(() => server.activeRequests() === 0, 3000)).toBe(true)
    const id = server.events.findLast((e) => e.type === 'fault' && e.fault === 'stall')!
    expect(server.events).toContainEqual({ type: 'closed', id: (id as { id: number }).id, finished: false })
  })
})

describe('drop-after=N', () => {
  it('delivers exactly N body bytes, then breaks the connection', async () => {
    const response = await speak('The first sentence. The second sentence.', 'drop-after=1000')
    expect(response.status).toBe(200)
    const reader = response.body!.getReader()
    let received = 0
    let failed: unknown
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        received += value.length
      }
    } catch (error) {
      failed = error
    }
    expect(received).toBe(1000)
    expect(failed).toBeInstanceOf(Error)
  })
})

describe('rate=bytes-per-second', () => {
  it('throttles the body to that rate', async () => {
    const text = 'Hello there. Good morning.'
    const unthrottled = await speak(text, '')
    const size = (await unthrottled.arrayBuffer()).byteLength
    const rate = 10_000
    const response = await speak(text, `rate=${rate}`)
    const started = performance.now()
    const body = await response.arrayBuffer()
    const seconds = (performance.now() - started) / 1000
    expect(body.byteLength).toBe(size)
    expect(size).toBeGreaterThan(rate)
    expect(body.byteLength / seconds).toBeLessThanOrEqual(rate * 1.25)
    expect(body.byteLength / seconds).toBeGreaterThan(rate * 0.3)
  })
})

describe('garbage', () => {
  it('answers 200 audio/mpeg that no decoder can read', async () => {
    const response = await speak('Hello there.', 'garbage')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('audio/mpeg')
    const body = new Uint8Array(await response.arrayBuffer())
    expect(body.length).toBeGreaterThan(1000)
    expect(walkMp3(body).frames).toBe(0)
    expect(decodedDuration(body, 'mp3') ?? 0).toBe(0)
  })

  it('answers 200 application/json that is not JSON', async () => {
    const response = await server.post('/openai/v1/audio/transcriptions', {
      body: wavForm('file'),
      headers: { 'x-speech-fault': 'garbage' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    const text = await response.text()
    expect(() => JSON.parse(text)).toThrow()
  })
})

describe('empty and null', () => {
  it('empty answers 200 with the route type and no body, for speech and for transcripts', async () => {
    const speech = await speak('Hello there.', 'empty')
    expect(speech.status).toBe(200)
    expect(speech.headers.get('content-type')).toBe('audio/mpeg')
    expect((await speech.arrayBuffer()).byteLength).toBe(0)
    const transcript = await server.post('/openai/v1/audio/transcriptions', {
      body: wavForm('file'),
      headers: { 'x-speech-fault': 'empty' },
    })
    expect(transcript.status).toBe(200)
    expect(transcript.headers.get('content-type')).toBe('application/json')
    expect(await transcript.text()).toBe('')
  })

  it('null answers 200 with the JSON body null, wherever it is asked', async () => {
    for (const response of [
      await speak('Hello there.', 'null'),
      await server.post('/openai/v1/audio/transcriptions', {
        body: wavForm('file'),
        headers: { 'x-speech-fault': 'null' },
      }),
    ]) {
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await response.text()).toBe('null')
    }
  })
})

describe('without --faults', () => {
  it('ignores the header', async () => {
    const response = await plain.post('/dify/v1/text-to-audio', {
      ...jsonBody({ message_id: 'none' }),
      headers: fault('status=500; garbage; delay=2000'),
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('null')
    const speech = await speak('Hello.', 'drop-after=10; stall', plain)
    expect(speech.status).toBe(200)
    expect(walkMp3(new Uint8Array(await speech.arrayBuffer())).infoFrames).toBe(1)
  })
})
