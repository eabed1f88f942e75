import { describe, expect, test } from 'vitest'
import { formData, rawParts, readAll, reply, useTestServer, voiceError, wavBytes } from '../../test-support/http'
import { createElevenLabsSpeaker, createElevenLabsTranscriber, createElevenLabsTransport } from './elevenlabs'

const scribe = {
  language_code: 'eng',
  language_probability: 0.98,
  text: 'Turn on the lights. Thank you!',
  words: [
    { text: 'Turn', start: 0, end: 0.3, type: 'word', logprob: -0.1 },
    { text: ' ', start: 0.3, end: 0.32, type: 'spacing' },
    { text: 'on', start: 0.32, end: 0.5, type: 'word' },
    { text: ' ', start: 0.5, end: 0.52, type: 'spacing' },
    { text: 'the', start: 0.52, end: 0.6, type: 'word' },
    { text: ' ', start: 0.6, end: 0.62, type: 'spacing' },
    { text: 'lights.', start: 0.62, end: 1.1, type: 'word' },
    { text: ' ', start: 1.1, end: 1.3, type: 'spacing' },
    { text: '(laughter)', start: 1.3, end: 1.6, type: 'audio_event' },
    { text: 'Thank', start: 1.6, end: 1.8, type: 'word' },
    { text: ' ', start: 1.8, end: 1.82, type: 'spacing' },
    { text: 'you!', start: 1.82, end: 2.1, type: 'word' },
  ],
}

const server = useTestServer(scribe)
const transport = (extra: Partial<Parameters<typeof createElevenLabsTransport>[0]> = {}) =>
  createElevenLabsTransport({ baseUrl: server.url, ...extra })
const wav = () => new Blob([wavBytes(300)], { type: 'audio/wav' })

describe('elevenlabs speech to text (Scribe)', () => {
  test('POSTs multipart file, model_id, language_code, timestamps_granularity to /v1/speech-to-text', async () => {
    const transcript = await transport({ headers: { 'x-csrf': 't' } }).transcribe(wav(), { language: 'en' })
    const [request] = server.received
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/v1/speech-to-text')
    expect(request?.headers['x-csrf']).toBe('t')
    expect(request?.headers['xi-api-key']).toBeUndefined()
    expect(request?.headers.authorization).toBeUndefined()
    const parts = rawParts(request!)
    expect(parts.map((part) => part.name)).toEqual(['file', 'model_id', 'language_code', 'timestamps_granularity'])
    expect(parts[0]).toMatchObject({ filename: 'recording.wav', headers: { 'content-type': 'audio/wav' } })
    expect(new Uint8Array(parts[0]!.body)).toEqual(wavBytes(300))
    const form = await formData(request!)
    expect(form.get('model_id')).toBe('scribe_v2')
    expect(form.get('language_code')).toBe('en')
    expect(form.get('timestamps_granularity')).toBe('word')
    expect(transcript).toEqual({
      text: 'Turn on the lights. Thank you!',
      segments: [
        { text: 'Turn on the lights.', start: 0, end: 1.1 },
        { text: 'Thank you!', start: 1.6, end: 2.1 },
      ],
      words: [
        { text: 'Turn', start: 0, end: 0.3 },
        { text: 'on', start: 0.32, end: 0.5 },
        { text: 'the', start: 0.52, end: 0.6 },
        { text: 'lights.', start: 0.62, end: 1.1 },
        { text: 'Thank', start: 1.6, end: 1.8 },
        { text: 'you!', start: 1.82, end: 2.1 },
      ],
      language: 'eng',
      provider: 'elevenlabs',
      raw: scribe,
    })
  })

  test('timestamps word: the words are the segments; none: no words asked, a bare {text} answer works', async () => {
    const words = await transport({ transcriptionModel: 'scribe_v1' }).transcribe(wav(), { timestamps: 'word' })
    expect(words.segments.map((segment) => segment.text)).toEqual(['Turn', 'on', 'the', 'lights.', 'Thank', 'you!'])
    expect((await formData(server.received[0]!)).get('model_id')).toBe('scribe_v1')
    server.handle((_request, response) => reply(response, 200, { text: ' hi ', language_code: 'eng' }))
    const plain = await transport().transcribe(wav(), { timestamps: 'none' })
    const form = await formData(server.received[1]!)
    expect(form.get('timestamps_granularity')).toBe('none')
    expect(form.has('language_code')).toBe(false)
    expect(plain).toEqual({
      text: 'hi',
      segments: [],
      language: 'eng',
      provider: 'elevenlabs',
      raw: { text: ' hi ', language_code: 'eng' },
    })
  })

  test.each([
    ['audio/webm;codecs=opus', 'recording.webm', 'audio/webm'],
    ['audio/mp4', 'recording.m4a', 'audio/mp4'],
    ['audio/ogg;codecs=opus', 'recording.ogg', 'audio/ogg'],
    ['audio/mp3', 'recording.mp3', 'audio/mpeg'],
  ])('the browser’s %s goes as it is: %s (%s)', async (type, name, partType) => {
    await createElevenLabsTranscriber({ baseUrl: server.url }).transcribe(new Blob([wavBytes(60)], { type }))
    expect(rawParts(server.received[0]!)[0]).toMatchObject({ filename: name, headers: { 'content-type': partType } })
  })

  test('guards before a byte is sent: empty, untyped', async () => {
    expect((await voiceError(transport().transcribe(new Blob([], { type: 'audio/wav' })))).code).toBe('no_audio')
    expect((await voiceError(transport().transcribe(new Blob([wavBytes(60)])))).code).toBe('unsupported_audio_type')
    expect(server.received).toHaveLength(0)
  })

  test.each([
    ['no text', { language_code: 'eng' }],
    ['null', null],
    ['an array', []],
  ])('a 200 with %s is bad_response', async (_name, body) => {
    server.handle((_request, response) => reply(response, 200, body))
    const error = await voiceError(transport().transcribe(wav()))
    expect(error).toMatchObject({ code: 'bad_response', provider: 'elevenlabs', status: 200 })
  })
})

describe('elevenlabs text to speech, streamed', () => {
  const mp3 = new Uint8Array([0xff, 0xfb, 0x90, 0x64, 1, 2, 3])
  const streaming = () =>
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg', 'transfer-encoding': 'chunked' })
      response.write(mp3.subarray(0, 3))
      setTimeout(() => response.end(mp3.subarray(3)), 20)
    })

  test('POSTs JSON {text, model_id} to /v1/text-to-speech/{voice_id}/stream?output_format=mp3_44100_128', async () => {
    streaming()
    const audio = await createElevenLabsSpeaker({ baseUrl: `${server.url}/` }).speak('  Hello there.  ')
    expect(audio.mimeType).toBe('audio/mpeg')
    expect(await readAll(audio.body)).toEqual(mp3)
    const [request] = server.received
    expect(request?.url).toBe('/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream?output_format=mp3_44100_128')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers.accept).toBe('audio/mpeg')
    expect(JSON.parse(request!.body.toString())).toEqual({ text: 'Hello there.', model_id: 'eleven_multilingual_v2' })
  })

  test('options: voice, model and output format; the call voice wins', async () => {
    streaming()
    const speaker = transport({ voice: 'voice_A', speechModel: 'eleven_flash_v2_5', outputFormat: 'mp3_22050_32' })
    await readAll((await speaker.speak('a')).body)
    await readAll((await speaker.speak('b', { voice: 'voice-B' })).body)
    expect(server.received.map((request) => request.url)).toEqual([
      '/v1/text-to-speech/voice_A/stream?output_format=mp3_22050_32',
      '/v1/text-to-speech/voice-B/stream?output_format=mp3_22050_32',
    ])
    expect(JSON.parse(server.received[0]!.body.toString()).model_id).toBe('eleven_flash_v2_5')
  })

  test('a voice id that is not one path segment, or nothing to speak: invalid_request, nothing sent', async () => {
    for (const voice of ['../v1/voices', 'a/b', 'x?y=1', '', 'é']) {
      const error = await voiceError(transport().speak('Hi', { voice }))
      expect(error).toMatchObject({ code: 'invalid_request', provider: 'elevenlabs' })
    }
    expect((await voiceError(transport().speak('   '))).code).toBe('invalid_request')
    expect(server.received).toHaveLength(0)
  })

  test('an empty 200 or a JSON 200 is bad_response, not silence', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end()
    })
    expect((await voiceError(transport().speak('Hi'))).code).toBe('bad_response')
    server.handle((_request, response) => reply(response, 200, { detail: 'odd' }))
    expect((await voiceError(transport().speak('Hi'))).code).toBe('bad_response')
  })
})

describe('elevenlabs errors {detail: {status, message}}, {detail: "…"}, 422 {detail: [{loc, msg, type}]}', () => {
  test.each([
    [401, { status: 'invalid_api_key', message: 'Invalid API key' }, 'unauthorized', false],
    [401, { status: 'quota_exceeded', message: 'This request exceeds your quota.' }, 'quota_exceeded', false],
    [401, { status: 'detected_unusual_activity', message: 'Unusual activity.' }, 'unauthorized', false],
    [429, { status: 'too_many_concurrent_requests', message: 'Too many.' }, 'quota_exceeded', true],
    [429, { status: 'system_busy', message: 'Busy, try again.' }, 'provider_unavailable', true],
    [
      400,
      { status: 'voice_not_found', message: 'A voice with that id was not found.' },
      'provider_misconfigured',
      false,
    ],
    [400, { status: 'max_character_limit_exceeded', message: 'Too long.' }, 'invalid_request', false],
    [500, { status: 'internal_error', message: 'Oops.' }, 'provider_unavailable', true],
  ] as const)('%i %o → %s', async (status, detail, code, retryable) => {
    server.handle((_request, response) => reply(response, status, { detail }))
    const error = await voiceError(transport().speak('Hi'))
    expect(error).toMatchObject({
      code,
      status,
      retryable,
      provider: 'elevenlabs',
      providerCode: detail.status,
      message: detail.message,
    })
  })

  test('422 validation → invalid_request with the fields named', async () => {
    server.handle((_request, response) =>
      reply(response, 422, {
        detail: [{ type: 'missing', loc: ['body', 'model_id'], msg: 'Field required', input: null }],
      }),
    )
    const error = await voiceError(transport().transcribe(wav()))
    expect(error).toMatchObject({
      code: 'invalid_request',
      status: 422,
      providerCode: 'missing',
      message: 'body.model_id: Field required',
    })
  })

  test('{detail: "…"} and plain text keep their message, code by status', async () => {
    server.handle((_request, response) => reply(response, 404, { detail: 'Not Found' }))
    expect(await voiceError(transport().transcribe(wav()))).toMatchObject({
      code: 'provider_misconfigured',
      message: 'Not Found',
    })
    server.handle((_request, response) => reply(response, 503, 'upstream connect error'))
    expect(await voiceError(transport().transcribe(wav()))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      message: 'upstream connect error',
    })
  })
})
