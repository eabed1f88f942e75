// Speech to text over HTTP with pocketsphinx: the fixture WAVs through every route, and the round trip
// text → MP3 (the server's own TTS) → text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, formWith, jsonBody, msgpackBody, startTestServer, type TestServer, wordErrorRate } from './helpers.ts'

const KITCHEN = 'please turn on the kitchen lights'
const WEATHER = 'what is the weather like today'
const THREE = 'The first sentence is short. Here comes the second one. And this is the third.'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe('round trip', () => {
  it('speaks "please turn on the kitchen lights" and recognises its MP3 with under 25 % word errors', async () => {
    const speech = await server.post('/dify/v1/text-to-audio', jsonBody({ text: KITCHEN, voice: 'rms' }))
    expect(speech.status).toBe(200)
    const mp3 = new Uint8Array(await speech.arrayBuffer())
    const response = await server.post('/openai/v1/audio/transcriptions', {
      body: formWith({ file: { data: mp3, type: 'audio/mpeg', name: 'speech.mp3' }, model: 'whisper-1' }),
    })
    expect(response.status).toBe(200)
    const { text } = (await response.json()) as { text: string }
    expect(wordErrorRate(KITCHEN, text)).toBeLessThan(0.25)
  })
})

describe('fixtures', () => {
  it('Dify: kitchen-lights.wav → {text}', async () => {
    const response = await server.post('/dify/v1/audio-to-text', {
      body: formWith({ file: { data: fixture('kitchen-lights.wav'), type: 'audio/wav' }, user: 'abc-123' }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { text: string }
    expect(Object.keys(body)).toEqual(['text'])
    expect(body.text).toBe(KITCHEN)
  })

  it('Livepeer: weather.wav with word, sentence and no timestamps', async () => {
    const ask = async (returnTimestamps: string) => {
      const response = await server.post('/livepeer/audio-to-text', {
        body: formWith({
          audio: { data: fixture('weather.wav'), type: 'audio/wav', name: 'weather.wav' },
          model_id: 'openai/whisper-large-v3',
          return_timestamps: returnTimestamps,
          metadata: '{}',
        }),
      })
      expect(response.status).toBe(200)
      return (await response.json()) as { text: string; chunks: { timestamp: [number, number]; text: string }[] }
    }
    const words = await ask('word')
    expect(words.text).toBe(` ${WEATHER}`)
    expect(words.chunks.map((c) => c.text)).toEqual(WEATHER.split(' ').map((w) => ` ${w}`))
    for (const [i, chunk] of words.chunks.entries()) {
      expect(chunk.timestamp[0]).toBeLessThan(chunk.timestamp[1])
      if (i > 0) expect(chunk.timestamp[0]).toBeGreaterThanOrEqual(words.chunks[i - 1]!.timestamp[1])
    }
    const sentences = await ask('true')
    expect(sentences.chunks).toHaveLength(1)
    expect(sentences.chunks[0]!.text).toBe(` ${WEATHER}`)
    expect(sentences.chunks[0]!.timestamp[1]).toBeLessThanOrEqual(2)
    const none = await ask('false')
    expect(none).toEqual({ text: ` ${WEATHER}`, chunks: [] })
  })

  it('Fish (msgpack): three-sentences.wav with segments when ignore_timestamps is false', async () => {
    const response = await server.post('/fish/v1/asr', {
      body: msgpackBody({ audio: fixture('three-sentences.wav'), language: 'en', ignore_timestamps: false }),
      headers: { 'Content-Type': 'application/msgpack' },
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      text: string
      duration: number
      segments: { text: string; start: number; end: number }[]
    }
    expect(wordErrorRate(THREE, body.text)).toBeLessThan(0.25)
    expect(body.duration).toBeGreaterThan(4)
    expect(body.duration).toBeLessThan(6)
    expect(body.segments.length).toBeGreaterThanOrEqual(2)
    expect(body.segments.map((s) => s.text).join(' ')).toBe(body.text)
    for (const s of body.segments) expect(s.start).toBeLessThan(s.end)
  })

  it('Fish (multipart): no segments by default', async () => {
    const response = await server.post('/fish/v1/asr', {
      body: formWith({ audio: { data: fixture('kitchen-lights.wav'), type: 'audio/wav' } }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { text: string; duration: number; segments: unknown[] }
    expect(body.text).toBe(KITCHEN)
    expect(body.segments).toEqual([])
    expect(body.duration).toBeCloseTo(fixture('kitchen-lights.wav').length / 32000, 1)
  })

  it('OpenAI: verbose_json with word timestamps, and text', async () => {
    const response = await server.post('/openai/v1/audio/transcriptions', {
      body: formWith({
        file: { data: fixture('kitchen-lights.wav'), type: 'audio/wav', name: 'kitchen.wav' },
        model: 'whisper-1',
        response_format: 'verbose_json',
        'timestamp_granularities[]': ['word', 'segment'],
      }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      task: string
      text: string
      duration: number
      words: { word: string; start: number; end: number }[]
      segments: { text: string; start: number; end: number }[]
    }
    expect(body.task).toBe('transcribe')
    expect(body.text).toBe(KITCHEN)
    expect(body.words.map((w) => w.word)).toEqual(KITCHEN.split(' '))
    expect(body.segments[0]!.text.trim()).toBe(KITCHEN)

    const text = await server.post('/openai/v1/audio/transcriptions', {
      body: formWith({
        file: { data: fixture('weather.wav'), type: 'audio/wav', name: 'weather.wav' },
        model: 'whisper-1',
        response_format: 'text',
      }),
    })
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await text.text()).toBe(`${WEATHER}\n`)
  })
})
