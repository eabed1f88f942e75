import { describe, expect, test } from 'vitest'
import { formData, rawParts, readAll, reply, useTestServer, voiceError, wavBytes } from '../../test-support/http'
import { MiB } from '../descriptor'
import { createDifyTransport } from './dify'

const server = useTestServer({ text: 'hello' })

const transport = (extra: Partial<Parameters<typeof createDifyTransport>[0]> = {}) =>
  createDifyTransport({ baseUrl: `${server.url}/v1/`, ...extra })
const wav = () => new Blob([wavBytes(300)], { type: 'audio/wav' })

describe('dify transcribe: wire format', () => {
  test('POSTs multipart `file` (audio/wav, recording.wav) and `user` to {baseUrl}/audio-to-text', async () => {
    const transcript = await transport({ user: 'abc-123' }).transcribe!(wav())
    expect(transcript.text).toBe('hello')
    const [request] = server.received
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/v1/audio-to-text')
    expect(String(request?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/)
    const parts = rawParts(request!)
    expect(parts.map((part) => part.name)).toEqual(['file', 'user'])
    expect(parts[0]?.filename).toBe('recording.wav')
    expect(parts[0]?.headers['content-type']).toBe('audio/wav')
    expect(new Uint8Array(parts[0]!.body)).toEqual(wavBytes(300))
    expect(parts[1]?.headers['content-type']).toBeUndefined()
    const form = await formData(request!)
    const file = form.get('file') as File
    expect(file.name).toBe('recording.wav')
    expect(file.type).toBe('audio/wav')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(wavBytes(300))
    expect(form.get('user')).toBe('abc-123')
  })

  test('omits `user` when none is configured', async () => {
    await transport().transcribe!(wav())
    expect(rawParts(server.received[0]!).map((part) => part.name)).toEqual(['file'])
  })

  test('passes the given headers through and adds no Authorization', async () => {
    await transport({ headers: { 'x-csrf-token': 't0k', cookie: 'session=1' } }).transcribe!(wav())
    const { headers } = server.received[0]!
    expect(headers['x-csrf-token']).toBe('t0k')
    expect(headers.cookie).toBe('session=1')
    expect(headers.authorization).toBeUndefined()
  })

  test('takes headers from a function, per request', async () => {
    let n = 0
    const t = transport({ headers: async () => ({ 'x-n': String(++n) }) })
    await t.transcribe!(wav())
    await t.transcribe!(wav())
    expect(server.received.map((request) => request.headers['x-n'])).toEqual(['1', '2'])
  })

  test.each([
    ['audio/mpeg', 'audio/mp3', 'recording.mp3'],
    ['audio/mp3', 'audio/mp3', 'recording.mp3'],
    ['audio/x-wav', 'audio/wav', 'recording.wav'],
    ['audio/wave', 'audio/wav', 'recording.wav'],
    ['audio/mp4', 'audio/m4a', 'recording.m4a'],
    ['audio/mp4;codecs=mp4a.40.2', 'audio/m4a', 'recording.m4a'],
    ['audio/x-m4a', 'audio/m4a', 'recording.m4a'],
    ['audio/amr', 'audio/amr', 'recording.amr'],
    ['audio/mpga', 'audio/mpga', 'recording.mpga'],
  ])('a %s blob is sent as %s named %s', async (blobType, partType, name) => {
    await transport().transcribe!(new Blob([wavBytes(100)], { type: blobType }))
    const [file] = rawParts(server.received[0]!)
    expect(file?.headers['content-type']).toBe(partType)
    expect(file?.filename).toBe(name)
  })

  test('declares the accepted types and the 30 MiB limit', () => {
    const { input } = transport()
    expect(input.maxBytes).toBe(30 * MiB)
    for (const type of ['audio/wav', 'audio/mp3', 'audio/m4a', 'audio/amr', 'audio/mpga']) {
      expect(input.mimeTypes).toContain(type)
    }
    expect(input.mimeTypes).not.toContain('audio/webm')
  })
})

describe('dify transcribe: client-side guards send nothing', () => {
  test.each([
    ['audio/webm;codecs=opus', 'unsupported_audio_type'],
    ['audio/ogg', 'unsupported_audio_type'],
    ['audio/mp4;codecs=opus', 'unsupported_audio_type'],
    ['', 'unsupported_audio_type'],
  ])('%s → %s', async (type, code) => {
    const error = await voiceError(transport().transcribe!(new Blob([wavBytes(100)], { type })))
    expect(error.code).toBe(code)
    expect(error.provider).toBe('dify')
    expect(server.received).toHaveLength(0)
  })

  test('an empty blob → no_audio', async () => {
    const error = await voiceError(transport().transcribe!(new Blob([], { type: 'audio/wav' })))
    expect(error.code).toBe('no_audio')
    expect(server.received).toHaveLength(0)
  })

  test('one byte over 30 MiB → audio_too_large', async () => {
    const error = await voiceError(
      transport().transcribe!(new Blob([new Uint8Array(30 * MiB + 1)], { type: 'audio/wav' })),
    )
    expect(error.code).toBe('audio_too_large')
    expect(error.retryable).toBe(false)
    expect(server.received).toHaveLength(0)
  })

  test('exactly 30 MiB is sent', async () => {
    await transport().transcribe!(new Blob([new Uint8Array(30 * MiB)], { type: 'audio/wav' }))
    expect(server.received).toHaveLength(1)
  })
})

describe('dify transcribe: the API reference response example', () => {
  test('200 {text} (audioToTextSuccess)', async () => {
    const body = { text: 'Hello, I would like to know more about the iPhone 13 Pro Max.' }
    server.handle((_request, response) => reply(response, 200, body))
    const transcript = await transport().transcribe!(wav())
    expect(transcript).toEqual({ text: body.text, segments: [], provider: 'dify', raw: body })
  })

  test.each([
    ['an empty body', ''],
    ['null', 'null'],
    ['an array', '[]'],
    ['an object without text', '{"answer":"x"}'],
    ['garbage', '<html>oops'],
  ])('200 with %s → bad_response', async (_name, body) => {
    server.handle((_request, response) => reply(response, 200, body))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error.code).toBe('bad_response')
    expect(error.retryable).toBe(false)
  })
})

// Every error example of both Dify API references (audio-to-text, text-to-audio), verbatim.
const quota =
  'Your quota for Dify Hosted OpenAI has been exhausted. Please go to Settings -> Model Provider to complete your own provider credentials.'
const credentials =
  'No valid model provider credentials found. Please go to Settings -> Model Provider to complete your provider credentials.'
const errorExamples = [
  [400, 'app_unavailable', 'App unavailable, please check your app configurations.', 'provider_misconfigured'],
  [400, 'no_audio_uploaded', 'Please upload your audio.', 'no_audio'],
  [400, 'provider_not_support_speech_to_text', 'Provider not support speech to text.', 'provider_misconfigured'],
  [400, 'provider_not_initialize', credentials, 'provider_misconfigured'],
  [400, 'provider_quota_exceeded', quota, 'quota_exceeded'],
  [
    400,
    'model_currently_not_support',
    'Dify Hosted OpenAI trial currently not support the GPT-4 model.',
    'provider_misconfigured',
  ],
  [400, 'completion_request_error', 'Completion request failed.', 'provider_error'],
  [413, 'audio_too_large', 'Audio size exceeded.', 'audio_too_large'],
  [415, 'unsupported_audio_type', 'Audio type not allowed.', 'unsupported_audio_type'],
  [500, 'internal_server_error', 'Internal server error.', 'provider_unavailable'],
] as const
const speakErrorCodes = [
  'app_unavailable',
  'provider_not_initialize',
  'provider_quota_exceeded',
  'model_currently_not_support',
  'completion_request_error',
  'internal_server_error',
]

describe('dify audio-to-text: the API reference error examples', () => {
  test.each(errorExamples)('%i %s', async (status, code, message, expected) => {
    server.handle((_request, response) => reply(response, status, { status, code, message }))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({ code: expected, status, provider: 'dify', providerCode: code, message })
    expect(error.retryable).toBe(status === 500)
  })
})

describe('dify text-to-audio: the API reference error examples', () => {
  test.each(errorExamples.filter(([, code]) => speakErrorCodes.includes(code)))(
    '%i %s',
    async (status, code, message, expected) => {
      server.handle((_request, response) => reply(response, status, { status, code, message }))
      const error = await voiceError(transport().speak!('Hello'))
      expect(error).toMatchObject({ code: expected, status, provider: 'dify', providerCode: code, message })
      expect(error.retryable).toBe(status === 500)
    },
  )
})

describe('dify: errors beyond the API reference', () => {
  test('400 invalid_param (docs/providers.md) → invalid_request', async () => {
    server.handle((_request, response) =>
      reply(response, 400, { status: 400, code: 'invalid_param', message: 'Text to speech is not enabled' }),
    )
    const error = await voiceError(transport().speak!('Hello'))
    expect(error).toMatchObject({ code: 'invalid_request', providerCode: 'invalid_param', retryable: false })
    expect(error.message).toBe('Text to speech is not enabled')
  })

  test.each([
    [401, 'unauthorized', 'unauthorized'],
    [429, 'too_many_requests', 'quota_exceeded'],
    [404, 'not_found', 'provider_misconfigured'],
    [400, 'toString', 'invalid_request'],
    [400, '__proto__', 'invalid_request'],
  ])('%i with unknown code %s falls back to the status → %s', async (status, code, expected) => {
    server.handle((_request, response) => reply(response, status, { status, code, message: 'm' }))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({ code: expected, providerCode: code, status })
    expect(error.retryable).toBe(status === 429)
  })
})

describe('dify speak', () => {
  const mp3 = new Uint8Array([0xff, 0xfb, 0x90, 0x64, 1, 2, 3, 4])

  test('POSTs JSON {text, voice, user, streaming: true} to {baseUrl}/text-to-audio', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end(mp3)
    })
    const audio = await transport({ user: 'abc-123', headers: { 'x-app': 'demo' } }).speak!('Hello, welcome.', {
      voice: 'alloy',
    })
    expect(audio.mimeType).toBe('audio/mpeg')
    expect(await readAll(audio.body)).toEqual(mp3)
    const [request] = server.received
    expect(request?.url).toBe('/v1/text-to-audio')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['x-app']).toBe('demo')
    expect(request?.headers.authorization).toBeUndefined()
    expect(JSON.parse(request!.body.toString())).toEqual({
      text: 'Hello, welcome.',
      voice: 'alloy',
      user: 'abc-123',
      streaming: true,
    })
  })

  test('sends message_id instead of text when messageId is given; no voice → none sent', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end(mp3)
    })
    await transport().speak!('ignored', { messageId: '5ad4cb98-f0c7-4085-b384-88c403be6290' })
    expect(JSON.parse(server.received[0]!.body.toString())).toEqual({
      message_id: '5ad4cb98-f0c7-4085-b384-88c403be6290',
      streaming: true,
    })
  })

  test('the voice option is the default voice; the call voice wins', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end(mp3)
    })
    const speaker = transport({ voice: 'ava' })
    await readAll((await speaker.speak!('a')).body)
    await readAll((await speaker.speak!('b', { voice: 'ben' })).body)
    expect(server.received.map((request) => JSON.parse(request.body.toString()).voice)).toEqual(['ava', 'ben'])
  })

  test.each([
    ['audio/mp3', 'audio/mpeg'],
    ['audio/mpeg; charset=binary', 'audio/mpeg'],
    ['audio/wav', 'audio/wav'],
    ['AUDIO/X-WAV', 'audio/wav'],
    ['application/octet-stream', 'audio/mpeg'],
  ])('Content-Type %s → mimeType %s', async (type, expected) => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': type })
      response.end(mp3)
    })
    const audio = await transport().speak!('Hi')
    expect(audio.mimeType).toBe(expected)
    expect(await readAll(audio.body)).toEqual(mp3)
  })

  test('a 200 with an empty body → bad_response, not silence', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end()
    })
    const error = await voiceError(transport().speak!('Hi'))
    expect(error).toMatchObject({ code: 'bad_response', status: 200, provider: 'dify' })
  })

  test('a 200 with the JSON body null (unknown message_id) → bad_response', async () => {
    server.handle((_request, response) => reply(response, 200, 'null'))
    const error = await voiceError(transport().speak!('', { messageId: 'nope' }))
    expect(error.code).toBe('bad_response')
  })

  test('empty text without messageId → invalid_request, nothing sent', async () => {
    const error = await voiceError(transport().speak!('   '))
    expect(error.code).toBe('invalid_request')
    expect(server.received).toHaveLength(0)
  })

  test('hands over the first chunk before the server has finished sending', async () => {
    let confirm = () => {}
    const confirmed = new Promise<void>((resolve) => {
      confirm = resolve
    })
    let ended = false
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.write(mp3.subarray(0, 4))
      await confirmed
      ended = true
      response.end(mp3.subarray(4))
    })
    const audio = await transport().speak!('A long story.')
    const reader = audio.body.getReader()
    const first = await reader.read()
    expect(first.value).toEqual(mp3.subarray(0, 4))
    expect(ended).toBe(false)
    confirm()
    reader.releaseLock()
    const rest = await readAll(audio.body)
    expect(rest).toEqual(mp3.subarray(4))
    expect(ended).toBe(true)
  })
})
