// Each route's validation and error bodies, in the exact shapes of the providers' API references (docs/providers.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, formWith, jsonBody, msgpackBody, startTestServer, type TestServer } from './helpers.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const MiB = 1024 * 1024
const wav = () => fixture('kitchen-lights.wav')
/** A file of `size` bytes that starts like a WAV (its size, not its content, is under test). */
const big = (size: number) => {
  const data = new Uint8Array(size)
  data.set(wav().subarray(0, 44))
  return data
}

async function answer(response: Response) {
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() }
}

describe('Dify /audio-to-text', () => {
  const post = (fields: Parameters<typeof formWith>[0], auth?: string | null) =>
    server.post('/dify/v1/audio-to-text', { body: formWith(fields), ...(auth !== undefined && { auth }) })
  const unsupported = { status: 415, code: 'unsupported_audio_type', message: 'Audio type not allowed.' }

  it.each(['audio/webm;codecs=opus', 'audio/webm', 'audio/mpeg', 'audio/mp4', 'audio/x-wav', 'audio/ogg', ''])(
    'rejects the part type %j with 415 unsupported_audio_type',
    async (type) => {
      expect(await answer(await post({ file: { data: wav(), type } }))).toEqual({
        status: 415,
        type: 'application/json',
        body: unsupported,
      })
    },
  )

  it('checks the type before the size: an oversized WebM is a 415, an oversized WAV a 413', async () => {
    const webm = await answer(await post({ file: { data: big(30 * MiB + 1), type: 'audio/webm' } }))
    expect(webm.body).toEqual(unsupported)
    const large = await answer(await post({ file: { data: big(30 * MiB + 1), type: 'audio/wav' } }))
    expect(large).toEqual({
      status: 413,
      type: 'application/json',
      body: { status: 413, code: 'audio_too_large', message: 'Audio size exceeded.' },
    })
  })

  it('answers 400 no_audio_uploaded without a file', async () => {
    const expected = { status: 400, code: 'no_audio_uploaded', message: 'Please upload your audio.' }
    expect((await answer(await post({ user: 'abc-123' }))).body).toEqual(expected)
    const notMultipart = await server.post('/dify/v1/audio-to-text', jsonBody({ user: 'abc-123' }))
    expect(await answer(notMultipart)).toEqual({ status: 400, type: 'application/json', body: expected })
  })

  it('accepts audio/mp3, audio/m4a and uppercase types with parameters (type check only)', async () => {
    for (const type of ['audio/mp3', 'audio/m4a', 'AUDIO/WAV; rate=16000']) {
      const response = await post({ file: { data: new Uint8Array(0), type } })
      expect((await answer(response)).body.code).toBe('no_audio_uploaded')
    }
  })

  it('answers 400 completion_request_error for audio that cannot be decoded', async () => {
    const response = await post({ file: { data: new TextEncoder().encode('not audio at all'), type: 'audio/mp3' } })
    const { status, body } = await answer(response)
    expect(status).toBe(400)
    expect(body).toMatchObject({ status: 400, code: 'completion_request_error' })
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'status'])
  })

  it('answers 401 in Dify’s shape for a wrong or missing key', async () => {
    expect(await answer(await post({ file: { data: wav(), type: 'audio/wav' } }, 'wrong'))).toEqual({
      status: 401,
      type: 'application/json',
      body: { status: 401, code: 'unauthorized', message: 'Access token is invalid' },
    })
    const missing = await answer(await post({ file: { data: wav(), type: 'audio/wav' } }, null))
    expect(missing.status).toBe(401)
    expect(missing.body).toMatchObject({ status: 401, code: 'unauthorized' })
  })
})

describe('Dify /text-to-audio', () => {
  it('answers 400 invalid_param with neither text nor message_id', async () => {
    const { status, body } = await answer(await server.post('/dify/v1/text-to-audio', jsonBody({ user: 'u' })))
    expect(status).toBe(400)
    expect(body).toMatchObject({ status: 400, code: 'invalid_param' })
  })

  it('answers 200 with the JSON body null for a message_id that matches nothing (message_id wins over text)', async () => {
    const response = await server.post(
      '/dify/v1/text-to-audio',
      jsonBody({ message_id: '5ad4cb98-f0c7-4085-b384-88c403be6290', text: 'Hello.' }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.text()).toBe('null')
  })

  it('answers 400 for a body that is not JSON, and 401 for a wrong key', async () => {
    const bad = await server.post('/dify/v1/text-to-audio', {
      body: '{nope',
      headers: { 'Content-Type': 'application/json' },
    })
    expect((await answer(bad)).body).toMatchObject({ status: 400, code: 'bad_request' })
    const unauthorized = await server.post('/dify/v1/text-to-audio', { ...jsonBody({ text: 'Hi.' }), auth: 'nope' })
    expect((await answer(unauthorized)).body).toEqual({
      status: 401,
      code: 'unauthorized',
      message: 'Access token is invalid',
    })
  })
})

describe('Livepeer /audio-to-text', () => {
  const post = (fields: Parameters<typeof formWith>[0], auth?: string | null) =>
    server.post('/livepeer/audio-to-text', { body: formWith(fields), ...(auth !== undefined && { auth }) })

  it('answers 422 {detail: [{loc, msg, type}]} without audio', async () => {
    const { status, body } = await answer(await post({ model_id: 'openai/whisper-large-v3' }))
    expect(status).toBe(422)
    expect(body.detail).toHaveLength(1)
    expect(body.detail[0]).toMatchObject({ loc: ['body', 'audio'], msg: 'Field required', type: 'missing' })
  })

  it('answers {detail: {msg}} for a bad return_timestamps (400), undecodable audio (415), oversize (413), bad key (401)', async () => {
    const timestamps = await answer(await post({ audio: { data: wav() }, return_timestamps: 'often' }))
    expect(timestamps.status).toBe(400)
    expect(Object.keys(timestamps.body)).toEqual(['detail'])
    expect(timestamps.body.detail).toEqual({ msg: expect.stringContaining('return_timestamps') })

    const undecodable = await answer(
      await post({ audio: { data: new TextEncoder().encode('garbage'), name: 'a.mp3' } }),
    )
    expect(undecodable.status).toBe(415)
    expect(undecodable.body).toEqual({ detail: { msg: expect.any(String) } })

    const large = await answer(await post({ audio: { data: big(50 * MiB + 1) } }))
    expect(large).toEqual({ status: 413, type: 'application/json', body: { detail: { msg: expect.any(String) } } })

    const unauthorized = await answer(await post({ audio: { data: wav() } }, 'wrong'))
    expect(unauthorized).toEqual({
      status: 401,
      type: 'application/json',
      body: { detail: { msg: expect.any(String) } },
    })
  })

  it('answers 404 as FastAPI does for an unknown path', async () => {
    expect(await answer(await server.post('/livepeer/text-to-audio'))).toEqual({
      status: 404,
      type: 'application/json',
      body: { detail: 'Not Found' },
    })
  })
})

describe('Fish /v1/asr', () => {
  const msgpack = (value: unknown, auth?: string | null) =>
    server.post('/fish/v1/asr', {
      body: msgpackBody(value),
      headers: { 'Content-Type': 'application/msgpack' },
      ...(auth !== undefined && { auth }),
    })

  it('answers 422 with a bare array of {loc, type, msg}', async () => {
    const missing = await answer(await msgpack({ language: 'en' }))
    expect(missing.status).toBe(422)
    expect(Array.isArray(missing.body)).toBe(true)
    expect(missing.body[0]).toMatchObject({ loc: ['body', 'audio'], type: 'missing', msg: 'Field required' })

    const wrongTypes = await answer(await msgpack({ audio: 'a string, not bin', ignore_timestamps: 'sometimes' }))
    expect(wrongTypes.status).toBe(422)
    expect(wrongTypes.body.map((issue: { loc: string[] }) => issue.loc.join('.'))).toEqual([
      'body.audio',
      'body.ignore_timestamps',
    ])
    for (const issue of wrongTypes.body)
      expect(Object.keys(issue)).toEqual(expect.arrayContaining(['loc', 'type', 'msg']))

    const multipart = await server.post('/fish/v1/asr', {
      body: formWith({ audio: { data: wav() }, ignore_timestamps: 'maybe' }),
    })
    const bool = await answer(multipart)
    expect(bool.status).toBe(422)
    expect(bool.body[0]).toMatchObject({ loc: ['body', 'ignore_timestamps'], type: 'bool_parsing' })
  })

  it('answers {status, message} for a bad key (401)', async () => {
    expect(await answer(await msgpack({ audio: wav() }, 'wrong'))).toEqual({
      status: 401,
      type: 'application/json',
      body: { status: 401, message: expect.any(String) },
    })
  })
})

describe('OpenAI-compatible', () => {
  const transcribe = (fields: Parameters<typeof formWith>[0], auth?: string | null) =>
    server.post('/openai/v1/audio/transcriptions', { body: formWith(fields), ...(auth !== undefined && { auth }) })
  const nullable = (value: unknown) => value === null || typeof value === 'string'

  it('answers 400 {error: {message, type, param, code}} for a missing model or file, or a bad file name', async () => {
    const cases: Parameters<typeof formWith>[0][] = [
      { file: { data: wav(), name: 'a.wav' } },
      { model: 'whisper-1' },
      { file: { data: wav(), name: 'recording' }, model: 'whisper-1' },
      { file: { data: wav(), name: 'a.wav' }, model: 'whisper-1', response_format: 'yaml' },
      { file: { data: wav(), name: 'a.wav' }, model: 'whisper-1', 'timestamp_granularities[]': 'word' },
    ]
    for (const fields of cases) {
      const { status, body } = await answer(await transcribe(fields))
      expect(status).toBe(400)
      expect(Object.keys(body)).toEqual(['error'])
      expect(Object.keys(body.error)).toEqual(['message', 'type', 'param', 'code'])
      expect(body.error.type).toBe('invalid_request_error')
      expect(nullable(body.error.param) && nullable(body.error.code)).toBe(true)
    }
  })

  it('answers 413 above 25 MiB and 401 for a bad key', async () => {
    const large = await answer(
      await transcribe({ file: { data: big(25 * MiB + 1), name: 'a.wav' }, model: 'whisper-1' }),
    )
    expect(large.status).toBe(413)
    expect(Object.keys(large.body.error)).toEqual(['message', 'type', 'param', 'code'])
    const unauthorized = await answer(
      await transcribe({ file: { data: wav(), name: 'a.wav' }, model: 'whisper-1' }, 'x'),
    )
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' })
  })

  it('validates /audio/speech parameters', async () => {
    const missingInput = await answer(
      await server.post('/openai/v1/audio/speech', jsonBody({ model: 'tts-1', voice: 'alloy' })),
    )
    expect(missingInput).toEqual({
      status: 400,
      type: 'application/json',
      body: {
        error: {
          message: "Missing required parameter: 'input'.",
          type: 'invalid_request_error',
          param: 'input',
          code: 'missing_required_parameter',
        },
      },
    })
    const format = await answer(
      await server.post(
        '/openai/v1/audio/speech',
        jsonBody({ model: 'tts-1', voice: 'alloy', input: 'Hi.', response_format: 'opus' }),
      ),
    )
    expect(format.status).toBe(400)
    expect(format.body.error.param).toBe('response_format')
    const speed = await answer(
      await server.post(
        '/openai/v1/audio/speech',
        jsonBody({ model: 'tts-1', voice: 'alloy', input: 'Hi.', speed: 9 }),
      ),
    )
    expect(speed.body.error.param).toBe('speed')
  })

  it('answers an unknown path with 404 in OpenAI’s shape', async () => {
    const { status, body } = await answer(await server.post('/openai/v1/audio/translations-v9'))
    expect(status).toBe(404)
    expect(body).toEqual({
      error: {
        message: 'Invalid URL (POST /v1/audio/translations-v9)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    })
  })
})

describe('routing', () => {
  it('answers 404 for paths outside every provider, and 405 for a GET on a route', async () => {
    const unknown = await server.post('/elevenlabs/v1/text-to-speech')
    expect(unknown.status).toBe(404)
    const get = await fetch(`${server.url}/dify/v1/text-to-audio`, {
      headers: { Authorization: `Bearer ${server.apiKey}` },
    })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    expect(await get.json()).toMatchObject({ status: 405, code: 'method_not_allowed' })
  })
})
