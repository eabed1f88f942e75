// ElevenLabs' routes: the key in `xi-api-key`, Scribe speech to text, streamed MP3 text to speech with the voice in
// the path and the format in the query, and FastAPI-shaped errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { elevenlabs } from '../src/routes/elevenlabs.ts'
import { matchRoute } from '../src/routes/index.ts'
import { fixture, formWith, jsonBody, startTestServer, type TestServer, walkMp3 } from './helpers.ts'

const KITCHEN = 'please turn on the kitchen lights'
const STT = '/elevenlabs/v1/speech-to-text'
const tts = (voice = 'JBFqnCBsd6RMkjVDRZzb', query = '?output_format=mp3_44100_128') =>
  `/elevenlabs/v1/text-to-speech/${voice}/stream${query}`

let server: TestServer
const post = (path: string, init: RequestInit = {}, key: string | null = server.apiKey) =>
  server.post(path, {
    ...init,
    auth: null,
    headers: { ...init.headers, ...(key === null ? {} : { 'xi-api-key': key }) },
  })

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe('ElevenLabs auth: xi-api-key', () => {
  it('missing, wrong, or sent as a Bearer token → 401 {detail: {status, message}}', async () => {
    const body = { body: JSON.stringify({ text: 'Hi.' }), headers: { 'content-type': 'application/json' } }
    const missing = await post(tts(), body, null)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toEqual({
      detail: { status: 'missing_api_key', message: 'Missing the xi-api-key header.' },
    })
    const wrong = await post(tts(), body, 'nope')
    expect(await wrong.json()).toEqual({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } })
    const bearer = await server.post(tts(), body)
    expect(bearer.status).toBe(401)
  })
})

describe('ElevenLabs /v1/speech-to-text (Scribe)', () => {
  it('recognises the fixture: text, language_code, words with spacing between them', async () => {
    const response = await post(STT, {
      body: formWith({ file: { data: fixture('kitchen-lights.wav'), type: 'audio/wav' }, model_id: 'scribe_v2' }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      text: string
      language_code: string
      words: { text: string; start: number; end: number; type: string }[]
    }
    expect(body.text).toBe(KITCHEN)
    expect(body.language_code).toBe('eng')
    const words = body.words.filter((w) => w.type === 'word')
    expect(words.map((w) => w.text)).toEqual(KITCHEN.split(' '))
    expect(body.words.map((w) => w.type)).toEqual(
      KITCHEN.split(' ').flatMap((_, i) => (i === 0 ? ['word'] : ['spacing', 'word'])),
    )
    for (const [i, w] of body.words.entries()) {
      expect(w.end).toBeGreaterThanOrEqual(w.start)
      if (i > 0) expect(w.start).toBeGreaterThanOrEqual(body.words[i - 1]!.end)
    }
  })

  it.each([
    ['no file', { model_id: 'scribe_v1' }, ['body', 'file'], 'missing'],
    [
      'no model_id',
      { file: { data: fixture('kitchen-lights.wav'), type: 'audio/wav' } },
      ['body', 'model_id'],
      'missing',
    ],
    [
      'an unknown model',
      { file: { data: fixture('kitchen-lights.wav'), type: 'audio/wav' }, model_id: 'whisper-1' },
      ['body', 'model_id'],
      'literal_error',
    ],
    [
      'an unknown granularity',
      { file: { data: fixture('kitchen-lights.wav') }, model_id: 'scribe_v1', timestamps_granularity: 'segment' },
      ['body', 'timestamps_granularity'],
      'enum',
    ],
  ] as const)('%s → 422 {detail: [{type, loc, msg}]}', async (_name, fields, loc, type) => {
    const response = await post(STT, { body: formWith(fields as Parameters<typeof formWith>[0]) })
    expect(response.status).toBe(422)
    const { detail } = (await response.json()) as { detail: { loc: string[]; type: string; msg: string }[] }
    expect(detail[0]).toMatchObject({ loc, type })
    expect(detail[0]!.msg).toBeTruthy()
  })

  it('not multipart → 422 for the file; undecodable audio → 400 invalid_content', async () => {
    const json = await post(STT, jsonBody({ file: 'x' }))
    expect(json.status).toBe(422)
    const noise = await post(STT, {
      body: formWith({ file: { data: new Uint8Array(2000).fill(7), type: 'audio/wav' }, model_id: 'scribe_v1' }),
    })
    expect(noise.status).toBe(400)
    expect(((await noise.json()) as { detail: { status: string } }).detail.status).toBe('invalid_content')
  })
})

describe('ElevenLabs /v1/text-to-speech/{voice_id}/stream', () => {
  it('streams MP3 frames for any voice id', async () => {
    const response = await post(
      tts('JBFqnCBsd6RMkjVDRZzb'),
      jsonBody({ text: 'Hello there.', model_id: 'eleven_multilingual_v2' }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('audio/mpeg')
    expect(response.headers.get('content-length')).toBeNull()
    const walk = walkMp3(new Uint8Array(await response.arrayBuffer()))
    expect(walk.frames).toBeGreaterThan(10)
    expect(walk.strayBytes).toBe(0)
  })

  it.each([
    ['no text', {}, 422, 'missing'],
    ['a number as text', { text: 3 }, 422, 'string_type'],
    ['too much text', { text: 'a '.repeat(5001) }, 400, 'max_character_limit_exceeded'],
    ['nothing to speak', { text: ' … ' }, 400, 'invalid_text'],
  ] as const)('%s → %i', async (_name, body, status, code) => {
    const response = await post(tts(), jsonBody(body))
    expect(response.status).toBe(status)
    const { detail } = (await response.json()) as { detail: { status?: string; type?: string }[] | { status: string } }
    expect(Array.isArray(detail) ? detail[0]!.type : detail.status).toBe(code)
  })

  it('an output format this server does not speak → 400 invalid_output_format', async () => {
    const response = await post(tts('v', '?output_format=pcm_16000'), jsonBody({ text: 'Hi.' }))
    expect(response.status).toBe(400)
    expect(((await response.json()) as { detail: { status: string } }).detail.status).toBe('invalid_output_format')
  })

  it('a voice id that is not one plain segment, or another path, is 404 {detail: "Not Found"}; GET is 405', async () => {
    for (const path of [tts('a.b'), tts('a%2Fb'), '/elevenlabs/v1/text-to-speech//stream', '/elevenlabs/v1/voices']) {
      const response = await post(path, jsonBody({ text: 'Hi.' }))
      expect({ path, status: response.status, body: await response.json() }).toEqual({
        path,
        status: 404,
        body: { detail: 'Not Found' },
      })
    }
    const get = await fetch(`${server.url}${STT}`, { headers: { 'xi-api-key': server.apiKey } })
    expect(get.status).toBe(405)
    expect(await get.json()).toEqual({ detail: 'Method Not Allowed' })
  })

  it('route templates: one segment of [A-Za-z0-9_-]{1,128} per parameter, nothing else varies', () => {
    expect(matchRoute(elevenlabs, '/elevenlabs/v1/text-to-speech/Ab_9-x/stream')?.params).toEqual({
      voice_id: 'Ab_9-x',
    })
    expect(matchRoute(elevenlabs, `/elevenlabs/v1/text-to-speech/${'a'.repeat(129)}/stream`)).toBeUndefined()
    expect(matchRoute(elevenlabs, '/elevenlabs/v1/text-to-speech/a/b/stream')).toBeUndefined()
    expect(matchRoute(elevenlabs, '/elevenlabs/v1/text-to-speech/a/streamx')).toBeUndefined()
    expect(matchRoute(elevenlabs, STT)?.params).toEqual({})
  })
})
