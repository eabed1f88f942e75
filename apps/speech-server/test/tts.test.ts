// Text to speech over HTTP: Dify's one-MP3-per-sentence body, OpenAI's single stream, and streaming order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodedDuration, jsonBody, readTimed, startTestServer, type TestServer, walkMp3 } from './helpers.ts'

const THREE = 'The first sentence is short. Here comes the second one. And this is the third.'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe('Dify /text-to-audio', () => {
  it('answers audio/mpeg, chunked, with one complete MP3 file per sentence back to back', async () => {
    const response = await server.post('/dify/v1/text-to-audio', jsonBody({ text: THREE, user: 'u', streaming: true }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('audio/mpeg')
    expect(response.headers.get('transfer-encoding')).toBe('chunked')
    const body = new Uint8Array(await response.arrayBuffer())
    const walk = walkMp3(body)
    expect(walk.strayBytes).toBe(0)
    expect(walk.infoFrames).toBe(3)
    expect(walk.version).toBe('MPEG-1')
    expect(walk.sampleRate).toBe(48_000)
    // Every sentence decodes: the whole body is about 4–8 s of speech, not just the first file.
    const duration = decodedDuration(body, 'mp3')
    expect(duration).toBeGreaterThan(4)
    expect(duration).toBeLessThan(8)
  })

  it('sends the first MP3 bytes before the last sentence has been synthesised', async () => {
    const response = await server.post('/dify/v1/text-to-audio', jsonBody({ text: THREE, streaming: true }))
    const { chunks } = await readTimed(response)
    const request = server.events.findLast((e) => e.type === 'request' && e.path === '/dify/v1/text-to-audio')!
    const sentences = server.events.filter((e) => e.type === 'tts-sentence' && e.id === (request as { id: number }).id)
    expect(sentences.map((e) => (e as { index: number }).index)).toEqual([0, 1, 2])
    const lastSynthesised = (sentences[2] as { at: number }).at
    expect(chunks.length).toBeGreaterThan(0)
    expect(chunks[0]!.at).toBeLessThan(lastSynthesised)
  })

  it('falls back to the default voice for voices Flite does not have, and speaks each Flite voice', async () => {
    const sizes: number[] = []
    for (const voice of ['alloy', 'slt', 'kal16', 'awb']) {
      const response = await server.post('/dify/v1/text-to-audio', jsonBody({ text: 'Good morning.', voice }))
      expect(response.status).toBe(200)
      const walk = walkMp3(new Uint8Array(await response.arrayBuffer()))
      expect(walk.frames).toBeGreaterThan(10)
      sizes.push(walk.frames)
    }
    // Different voices speak at different lengths: the voice parameter reaches Flite.
    expect(new Set(sizes).size).toBeGreaterThan(1)
  })
})

describe('OpenAI /v1/audio/speech', () => {
  it('streams one continuous MP3 (bare frames, no per-sentence Xing frame)', async () => {
    const response = await server.post(
      '/openai/v1/audio/speech',
      jsonBody({ model: 'tts-1', input: THREE, voice: 'alloy', response_format: 'mp3' }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('audio/mpeg')
    const body = new Uint8Array(await response.arrayBuffer())
    const walk = walkMp3(body)
    expect(walk.strayBytes).toBe(0)
    expect(walk.infoFrames).toBe(0)
    expect(decodedDuration(body, 'mp3')).toBeGreaterThan(4)
  })

  it('honours speed', async () => {
    const frames = async (speed: number) => {
      const body = jsonBody({ model: 'tts-1', input: 'Turn on the kitchen lights.', voice: 'rms', speed })
      return walkMp3(new Uint8Array(await (await server.post('/openai/v1/audio/speech', body)).arrayBuffer())).frames
    }
    expect(await frames(2)).toBeLessThan((await frames(1)) * 0.75)
  })

  it('speaks wav and pcm at 24 kHz', async () => {
    const wav = await server.post(
      '/openai/v1/audio/speech',
      jsonBody({ model: 'tts-1', input: 'Hello there.', voice: 'rms', response_format: 'wav' }),
    )
    expect(wav.headers.get('content-type')).toBe('audio/wav')
    const wavBytes = new Uint8Array(await wav.arrayBuffer())
    expect(new DataView(wavBytes.buffer).getUint32(24, true)).toBe(24_000)
    const pcm = await server.post(
      '/openai/v1/audio/speech',
      jsonBody({ model: 'tts-1', input: 'Hello there.', voice: 'rms', response_format: 'pcm' }),
    )
    expect(pcm.headers.get('content-type')).toBe('audio/pcm')
    const pcmBytes = new Uint8Array(await pcm.arrayBuffer())
    expect(pcmBytes).toEqual(wavBytes.subarray(44))
    const samples = new Int16Array(pcmBytes.buffer, 0, pcmBytes.length >> 1)
    expect(samples.length / 24_000).toBeGreaterThan(0.4)
    const rms = Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length)
    expect(rms).toBeGreaterThan(300)
  })
})
