import { describe, expect, test } from 'vitest'
import { formData, rawParts, readAll, reply, useTestServer, voiceError, wavBytes } from '../../test-support/http'
import { MiB } from '../descriptor'
import { createOpenAITransport } from './openai'

const server = useTestServer({ text: 'hi' })

const transport = (extra: Partial<Parameters<typeof createOpenAITransport>[0]> = {}) =>
  createOpenAITransport({ baseUrl: `${server.url}/v1`, ...extra })
const wav = () => new Blob([wavBytes(300)], { type: 'audio/wav' })

const verbose = {
  task: 'transcribe',
  language: 'english',
  duration: 2.5,
  text: 'Turn on the lights.',
  segments: [{ id: 0, seek: 0, start: 0, end: 2.4, text: ' Turn on the lights.', tokens: [1], temperature: 0 }],
  words: [
    { word: 'Turn', start: 0, end: 0.3 },
    { word: 'on', start: 0.3, end: 0.5 },
  ],
}

describe('openai transcribe', () => {
  test('POSTs multipart file, model, response_format, timestamp_granularities[] to /audio/transcriptions', async () => {
    server.handle((_request, response) => reply(response, 200, verbose))
    const transcript = await transport({ headers: { 'x-a': '1' } }).transcribe!(wav(), { language: 'en' })
    const [request] = server.received
    expect(request?.url).toBe('/v1/audio/transcriptions')
    expect(request?.headers['x-a']).toBe('1')
    expect(request?.headers.authorization).toBeUndefined()
    const parts = rawParts(request!)
    expect(parts.map((part) => part.name)).toEqual([
      'file',
      'model',
      'response_format',
      'language',
      'timestamp_granularities[]',
    ])
    expect(parts[0]).toMatchObject({ filename: 'recording.wav', headers: { 'content-type': 'audio/wav' } })
    const form = await formData(request!)
    expect(form.get('model')).toBe('whisper-1')
    expect(form.get('response_format')).toBe('verbose_json')
    expect(form.get('language')).toBe('en')
    expect(form.getAll('timestamp_granularities[]')).toEqual(['segment'])
    expect(transcript).toEqual({
      text: 'Turn on the lights.',
      segments: [{ text: 'Turn on the lights.', start: 0, end: 2.4 }],
      durationSec: 2.5,
      language: 'english',
      provider: 'openai',
      raw: verbose,
    })
  })

  test('word timestamps: granularity word, words become segments', async () => {
    server.handle((_request, response) => reply(response, 200, verbose))
    const transcript = await transport({ transcriptionModel: 'whisper-large-v3' }).transcribe!(wav(), {
      timestamps: 'word',
    })
    const form = await formData(server.received[0]!)
    expect(form.get('model')).toBe('whisper-large-v3')
    expect(form.getAll('timestamp_granularities[]')).toEqual(['word'])
    expect(transcript.segments).toEqual([
      { text: 'Turn', start: 0, end: 0.3 },
      { text: 'on', start: 0.3, end: 0.5 },
    ])
    expect(transcript.words).toEqual(transcript.segments)
  })

  test('timestamps none: no granularity, a plain {text} answer works', async () => {
    const transcript = await transport().transcribe!(wav(), { timestamps: 'none' })
    expect((await formData(server.received[0]!)).has('timestamp_granularities[]')).toBe(false)
    expect(transcript).toMatchObject({ text: 'hi', segments: [] })
  })

  test.each([
    ['audio/webm;codecs=opus', 'recording.webm', 'audio/webm'],
    ['audio/mp4', 'recording.m4a', 'audio/mp4'],
    ['audio/ogg;codecs=opus', 'recording.ogg', 'audio/ogg'],
    ['audio/mp3', 'recording.mp3', 'audio/mpeg'],
  ])('%s is sent as %s (%s)', async (type, name, partType) => {
    await transport().transcribe!(new Blob([wavBytes(60)], { type }))
    expect(rawParts(server.received[0]!)[0]).toMatchObject({ filename: name, headers: { 'content-type': partType } })
  })

  test('guards: 25 MiB limit and untyped blobs, nothing sent', async () => {
    expect(transport().input.maxBytes).toBe(25 * MiB)
    const big = await voiceError(
      transport().transcribe!(new Blob([new Uint8Array(25 * MiB + 1)], { type: 'audio/wav' })),
    )
    expect(big.code).toBe('audio_too_large')
    const untyped = await voiceError(transport().transcribe!(new Blob([wavBytes(60)])))
    expect(untyped.code).toBe('unsupported_audio_type')
    expect(server.received).toHaveLength(0)
  })
})

describe('openai speak', () => {
  test('POSTs JSON {model, input, voice, response_format: mp3} and streams mp3 back', async () => {
    const mp3 = new Uint8Array([0xff, 0xf3, 1, 2, 3])
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg', 'transfer-encoding': 'chunked' })
      response.end(mp3)
    })
    const audio = await transport({ speechModel: 'tts-1-hd', voice: 'nova' }).speak!('Hello there')
    expect(audio.mimeType).toBe('audio/mpeg')
    expect(await readAll(audio.body)).toEqual(mp3)
    const [request] = server.received
    expect(request?.url).toBe('/v1/audio/speech')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request!.body.toString())).toEqual({
      model: 'tts-1-hd',
      input: 'Hello there',
      voice: 'nova',
      response_format: 'mp3',
    })
  })

  test('defaults: tts-1 and alloy; the call voice wins', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end(new Uint8Array([1]))
    })
    await transport().speak!('a')
    await transport().speak!('b', { voice: 'echo' })
    const bodies = server.received.map((request) => JSON.parse(request.body.toString()))
    expect(bodies.map((body) => [body.model, body.voice])).toEqual([
      ['tts-1', 'alloy'],
      ['tts-1', 'echo'],
    ])
  })
})

describe('openai errors {error: {message, type, param, code}}', () => {
  test.each([
    [401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.', 'unauthorized', false],
    [429, 'requests', 'rate_limit_exceeded', 'Rate limit reached.', 'quota_exceeded', true],
    [429, 'insufficient_quota', 'insufficient_quota', 'You exceeded your current quota.', 'quota_exceeded', false],
    [404, 'invalid_request_error', 'model_not_found', 'The model does not exist.', 'provider_misconfigured', false],
    [400, 'invalid_request_error', null, 'Invalid file format.', 'invalid_request', false],
    [500, 'server_error', null, 'The server had an error.', 'provider_unavailable', true],
  ] as const)('%i %s/%s → %s', async (status, type, code, message, expected, retryable) => {
    server.handle((_request, response) => reply(response, status, { error: { message, type, param: null, code } }))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({ code: expected, status, message, providerCode: code ?? type, retryable })
  })
})
