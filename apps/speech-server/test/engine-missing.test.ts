// Without pocketsphinx (or its model, or ffmpeg for non-WAV input), each route answers its provider's own
// misconfiguration error, and the message names the Debian packages to install.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, formWith, jsonBody, msgpackBody, startTestServer, type TestServer } from './helpers.ts'

const PACKAGES = 'pocketsphinx pocketsphinx-en-us'

describe('pocketsphinx missing', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ stt: { pocketsphinx: '/nonexistent/bin/pocketsphinx_continuous' } })
  })
  afterAll(() => server.close())
  const wav = (field: string, extra: Record<string, string> = {}) =>
    formWith({ [field]: { data: fixture('weather.wav'), type: 'audio/wav', name: 'weather.wav' }, ...extra })

  it('Dify: 400 provider_not_initialize', async () => {
    const response = await server.post('/dify/v1/audio-to-text', { body: wav('file') })
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body).toEqual({ status: 400, code: 'provider_not_initialize', message: expect.stringContaining(PACKAGES) })
    expect(body.message).toMatch(/^No valid model provider credentials found/)
  })

  it('Livepeer: 500 {detail: {msg}}', async () => {
    const response = await server.post('/livepeer/audio-to-text', { body: wav('audio', { model_id: 'x' }) })
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ detail: { msg: expect.stringContaining(PACKAGES) } })
  })

  it('Fish: 503 {status, message}', async () => {
    const response = await server.post('/fish/v1/asr', {
      body: msgpackBody({ audio: fixture('weather.wav') }),
      headers: { 'Content-Type': 'application/msgpack' },
    })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ status: 503, message: expect.stringContaining(PACKAGES) })
  })

  it('OpenAI: 500 {error}', async () => {
    const response = await server.post('/openai/v1/audio/transcriptions', { body: wav('file', { model: 'whisper-1' }) })
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({
      error: { message: expect.stringContaining(PACKAGES), type: 'server_error', param: null, code: null },
    })
  })

  it('reports it on /health, and speech synthesis still works', async () => {
    const health = await (await fetch(`${server.url}/health`)).json()
    expect(health.stt).toEqual(expect.stringContaining(PACKAGES))
    const speech = await server.post('/dify/v1/text-to-audio', jsonBody({ text: 'Still speaking.' }))
    expect(speech.status).toBe(200)
    expect((await speech.arrayBuffer()).byteLength).toBeGreaterThan(1000)
  })
})

describe('model missing', () => {
  it('names the packages too', async () => {
    const server = await startTestServer({ stt: { modelDir: '/nonexistent/model/en-us' } })
    try {
      const response = await server.post('/dify/v1/audio-to-text', {
        body: formWith({ file: { data: fixture('weather.wav'), type: 'audio/wav' } }),
      })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({
        code: 'provider_not_initialize',
        message: expect.stringContaining(PACKAGES),
      })
    } finally {
      await server.close()
    }
  })
})

describe('ffmpeg missing', () => {
  it('refuses non-WAV input naming ffmpeg, and still recognises WAV', async () => {
    const server = await startTestServer({ stt: { ffmpeg: '/nonexistent/bin/ffmpeg' } })
    try {
      const speech = await server.post('/dify/v1/text-to-audio', jsonBody({ text: 'Turn on the lights.' }))
      const mp3 = new Uint8Array(await speech.arrayBuffer())
      const response = await server.post('/openai/v1/audio/transcriptions', {
        body: formWith({ file: { data: mp3, type: 'audio/mpeg', name: 'speech.mp3' }, model: 'whisper-1' }),
      })
      expect(response.status).toBe(500)
      expect((await response.json()).error.message).toMatch(/Install the Debian packages ffmpeg/)
      const wav = await server.post('/openai/v1/audio/transcriptions', {
        body: formWith({
          file: { data: fixture('weather.wav'), type: 'audio/wav', name: 'w.wav' },
          model: 'whisper-1',
        }),
      })
      expect(wav.status).toBe(200)
      expect((await wav.json()).text).toBe('what is the weather like today')
    } finally {
      await server.close()
    }
  })
})

describe('flite missing', () => {
  it('speech answers a 500 in the provider shape naming flite; recognition still works', async () => {
    const server = await startTestServer({ tts: { flite: '/nonexistent/bin/flite' } })
    try {
      const dify = await server.post('/dify/v1/text-to-audio', jsonBody({ text: 'Anyone there?' }))
      expect(dify.status).toBe(500)
      expect((await dify.json()).message).toMatch(/Install the Debian packages flite/)
      const openai = await server.post(
        '/openai/v1/audio/speech',
        jsonBody({ model: 'tts-1', input: 'Hi.', voice: 'x' }),
      )
      expect(openai.status).toBe(500)
      expect((await openai.json()).error.message).toMatch(/Install the Debian packages flite/)
      const health = await (await fetch(`${server.url}/health`)).json()
      expect(health.tts).toMatch(/flite/)
      const wav = await server.post('/openai/v1/audio/transcriptions', {
        body: formWith({
          file: { data: fixture('weather.wav'), type: 'audio/wav', name: 'w.wav' },
          model: 'whisper-1',
        }),
      })
      expect(wav.status).toBe(200)
    } finally {
      await server.close()
    }
  })
})
