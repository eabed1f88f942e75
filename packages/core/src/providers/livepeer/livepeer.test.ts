import { describe, expect, test } from 'vitest'
import { formData, rawParts, reply, useTestServer, voiceError, wavBytes } from '../../test-support/http'
import { MiB } from '../descriptor'
import { createLivepeerTransport } from './livepeer'

const server = useTestServer({ text: ' hi', chunks: [] })

const transport = (extra: Partial<Parameters<typeof createLivepeerTransport>[0]> = {}) =>
  createLivepeerTransport({ baseUrl: server.url, ...extra })
const wav = () => new Blob([wavBytes(300)], { type: 'audio/wav' })

describe('livepeer transcribe: wire format', () => {
  test('POSTs multipart audio, model_id, return_timestamps to {baseUrl}/audio-to-text', async () => {
    await transport({ headers: { 'x-trace': 'abc' } }).transcribe!(wav())
    const [request] = server.received
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/audio-to-text')
    expect(request?.headers['x-trace']).toBe('abc')
    expect(request?.headers.authorization).toBeUndefined()
    const parts = rawParts(request!)
    expect(parts.map((part) => part.name)).toEqual(['audio', 'model_id', 'return_timestamps'])
    expect(parts[0]).toMatchObject({ filename: 'recording.wav', headers: { 'content-type': 'audio/wav' } })
    expect(new Uint8Array(parts[0]!.body)).toEqual(wavBytes(300))
    const form = await formData(request!)
    expect((form.get('audio') as File).name).toBe('recording.wav')
    expect(form.get('model_id')).toBe('openai/whisper-large-v3')
    expect(form.get('return_timestamps')).toBe('true')
    expect(form.has('metadata')).toBe(false)
  })

  test('transcriptionModel (model_id) and metadata (a JSON string) are sent', async () => {
    await transport({ transcriptionModel: 'distil-whisper/large', metadata: { job: 7, tags: ['a'] } }).transcribe!(
      wav(),
    )
    const form = await formData(server.received[0]!)
    expect(form.get('model_id')).toBe('distil-whisper/large')
    expect(JSON.parse(String(form.get('metadata')))).toEqual({ job: 7, tags: ['a'] })
  })

  test.each([
    ['segment', 'true'],
    ['word', 'word'],
    ['none', 'false'],
  ] as const)('timestamps %s → return_timestamps=%s', async (timestamps, value) => {
    await transport().transcribe!(wav(), { timestamps })
    expect((await formData(server.received[0]!)).get('return_timestamps')).toBe(value)
  })

  test('an MP3 (audio/mpeg) is sent as recording.mp3', async () => {
    await transport().transcribe!(new Blob([wavBytes(50)], { type: 'audio/mpeg' }))
    expect(rawParts(server.received[0]!)[0]).toMatchObject({
      filename: 'recording.mp3',
      headers: { 'content-type': 'audio/mpeg' },
    })
  })

  test('declares WAV and MP3, 50 MiB and minSeconds 1', () => {
    const { input } = transport()
    expect(input).toMatchObject({ maxBytes: 50 * MiB, minSeconds: 1 })
    expect(input.mimeTypes).toContain('audio/wav')
    expect(input.mimeTypes).toContain('audio/mpeg')
    expect(input.mimeTypes).not.toContain('audio/webm')
  })
})

describe('livepeer: client-side guards send nothing', () => {
  test.each(['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'])(
    '%s → unsupported_audio_type',
    async (type) => {
      const error = await voiceError(transport().transcribe!(new Blob([wavBytes(100)], { type })))
      expect(error.code).toBe('unsupported_audio_type')
      expect(server.received).toHaveLength(0)
    },
  )

  test('over 50 MiB → audio_too_large', async () => {
    const error = await voiceError(
      transport().transcribe!(new Blob([new Uint8Array(50 * MiB + 1)], { type: 'audio/wav' })),
    )
    expect(error.code).toBe('audio_too_large')
    expect(server.received).toHaveLength(0)
  })
})

describe('livepeer: responses (TextResponse of the API reference)', () => {
  test('text and chunks[].timestamp → segments, text trimmed', async () => {
    const body = {
      text: ' Turn on the kitchen lights. Then dim them.',
      chunks: [
        { timestamp: [0, 1.8], text: ' Turn on the kitchen lights.' },
        { timestamp: [1.8, 3.2], text: ' Then dim them.' },
      ],
    }
    server.handle((_request, response) => reply(response, 200, body))
    expect(await transport().transcribe!(wav())).toEqual({
      text: 'Turn on the kitchen lights. Then dim them.',
      segments: [
        { text: 'Turn on the kitchen lights.', start: 0, end: 1.8 },
        { text: 'Then dim them.', start: 1.8, end: 3.2 },
      ],
      provider: 'livepeer',
      raw: body,
    })
  })

  test('a null end stays null', async () => {
    server.handle((_request, response) =>
      reply(response, 200, { text: ' Hello', chunks: [{ timestamp: [0.5, null], text: ' Hello' }] }),
    )
    const transcript = await transport().transcribe!(wav())
    expect(transcript.segments).toEqual([{ text: 'Hello', start: 0.5, end: null }])
  })

  test('word chunks become one segment per word', async () => {
    server.handle((_request, response) =>
      reply(response, 200, {
        text: ' Lights on',
        chunks: [
          { timestamp: [0, 0.4], text: ' Lights' },
          { timestamp: [0.4, 0.7], text: ' on' },
        ],
      }),
    )
    const transcript = await transport().transcribe!(wav(), { timestamps: 'word' })
    expect(transcript.segments.map((segment) => segment.text)).toEqual(['Lights', 'on'])
    expect(transcript.words).toEqual([
      { text: 'Lights', start: 0, end: 0.4 },
      { text: 'on', start: 0.4, end: 0.7 },
    ])
  })

  test.each([
    ['an empty body', ''],
    ['null', 'null'],
    ['no text', '{"chunks":[]}'],
    ['not JSON', 'Internal'],
  ])('200 with %s → bad_response', async (_name, body) => {
    server.handle((_request, response) => reply(response, 200, body))
    expect((await voiceError(transport().transcribe!(wav()))).code).toBe('bad_response')
  })
})

// The API reference's error responses: HTTPError {detail: {msg}} for 400/401/413/415/500, HTTPValidationError for 422.
describe('livepeer: the API reference error responses', () => {
  test.each([
    [400, 'Unable to determine audio duration', 'invalid_request'],
    [401, 'Invalid bearer token', 'unauthorized'],
    [413, 'File size exceeds limit', 'audio_too_large'],
    [415, 'Unsupported audio format', 'unsupported_audio_type'],
    [500, 'Internal server error', 'provider_unavailable'],
  ] as const)('%i {detail: {msg}} → %s', async (status, msg, code) => {
    server.handle((_request, response) => reply(response, status, { detail: { msg } }))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({ code, status, message: msg, provider: 'livepeer', retryable: status === 500 })
  })

  test('422 {detail: [{loc, msg, type}]} → invalid_request with the validation message', async () => {
    server.handle((_request, response) =>
      reply(response, 422, { detail: [{ loc: ['body', 'audio'], msg: 'Field required', type: 'missing' }] }),
    )
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({
      code: 'invalid_request',
      status: 422,
      providerCode: 'missing',
      message: 'body.audio: Field required',
    })
  })
})

describe('livepeer: errors beyond the API reference (docs/providers.md)', () => {
  test('gateway {error: {message}}', async () => {
    server.handle((_request, response) => reply(response, 503, { error: { message: 'no orchestrators available' } }))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({
      code: 'provider_unavailable',
      message: 'no orchestrators available',
      retryable: true,
    })
  })

  test('plain-text 400', async () => {
    server.handle((_request, response) => {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
      response.end('invalid model_id')
    })
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, message: 'invalid model_id' })
  })

  test('FastAPI {detail: "string"}', async () => {
    server.handle((_request, response) => reply(response, 401, { detail: 'Not authenticated' }))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({ code: 'unauthorized', message: 'Not authenticated' })
  })
})

test('livepeer has no speak', () => {
  expect(transport().speak).toBeUndefined()
})
