import { unpack } from 'msgpackr'
import { describe, expect, test } from 'vitest'
import { isVoiceError } from '../../errors'
import { formData, rawParts, readAll, reply, useTestServer, voiceError, wavBytes } from '../../test-support/http'
import { MiB } from '../descriptor'
import { createFishTransport, fishDurationSeconds } from './fish'

const server = useTestServer({ text: 'hi', duration: 1, segments: [] })

const transport = (extra: Partial<Parameters<typeof createFishTransport>[0]> = {}) =>
  createFishTransport({ baseUrl: server.url, ...extra })
const wav = (size = 300) => new Blob([wavBytes(size)], { type: 'audio/wav' })
/** The msgpack type byte that follows a fixstr key in a raw body. */
const typeAfterKey = (body: Buffer, key: string) => {
  const encoded = Buffer.concat([Buffer.from([0xa0 | key.length]), Buffer.from(key)])
  const at = body.indexOf(encoded)
  expect(at).toBeGreaterThanOrEqual(0)
  return body[at + encoded.length]
}

describe('fish /v1/asr msgpack (default)', () => {
  test('packs {audio: bin, language, ignore_timestamps} as application/msgpack', async () => {
    await transport({ headers: { 'x-b': '2' } }).transcribe!(wav(), { language: 'en' })
    const [request] = server.received
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/v1/asr')
    expect(request?.headers['content-type']).toBe('application/msgpack')
    expect(request?.headers['x-b']).toBe('2')
    expect(request?.headers.authorization).toBeUndefined()
    const body = unpack(request!.body) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['audio', 'ignore_timestamps', 'language'])
    expect(body.audio).toBeInstanceOf(Uint8Array)
    expect(new Uint8Array(body.audio as Uint8Array)).toEqual(wavBytes(300))
    expect(body.language).toBe('en')
    expect(body.ignore_timestamps).toBe(false)
    // A plain map (fixmap of 3), audio as msgpack bin (c4/c5/c6), false as c2.
    expect(request!.body[0]).toBe(0x83)
    expect([0xc4, 0xc5, 0xc6]).toContain(typeAfterKey(request!.body, 'audio'))
    expect(typeAfterKey(request!.body, 'ignore_timestamps')).toBe(0xc2)
  })

  test('no language → nil; timestamps none → ignore_timestamps true', async () => {
    await transport().transcribe!(wav(), { timestamps: 'none' })
    const { body } = server.received[0]!
    expect(unpack(body)).toMatchObject({ language: null, ignore_timestamps: true })
    expect(typeAfterKey(body, 'language')).toBe(0xc0)
    expect(typeAfterKey(body, 'ignore_timestamps')).toBe(0xc3)
  })

  test('an MP3 (audio/mpeg) is packed as it is', async () => {
    await transport().transcribe!(new Blob([wavBytes(80)], { type: 'audio/mpeg' }))
    expect(new Uint8Array((unpack(server.received[0]!.body) as { audio: Uint8Array }).audio)).toEqual(wavBytes(80))
  })
})

describe('fish /v1/asr multipart', () => {
  test('sends audio, language, ignore_timestamps ("false") as a form', async () => {
    await transport({ encoding: 'multipart' }).transcribe!(wav(), { language: 'zh' })
    const [request] = server.received
    expect(String(request?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/)
    const parts = rawParts(request!)
    expect(parts.map((part) => part.name)).toEqual(['audio', 'language', 'ignore_timestamps'])
    expect(parts[0]).toMatchObject({ filename: 'recording.wav', headers: { 'content-type': 'audio/wav' } })
    expect(new Uint8Array(parts[0]!.body)).toEqual(wavBytes(300))
    const form = await formData(request!)
    expect(form.get('language')).toBe('zh')
    expect(form.get('ignore_timestamps')).toBe('false')
  })

  test('no language → no part; timestamps none → "true"', async () => {
    await transport({ encoding: 'multipart' }).transcribe!(wav(), { timestamps: 'none' })
    const form = await formData(server.received[0]!)
    expect(form.has('language')).toBe(false)
    expect(form.get('ignore_timestamps')).toBe('true')
  })
})

describe('fish: client-side guards send nothing', () => {
  test.each(['audio/webm;codecs=opus', 'audio/ogg', 'audio/mp4'])('%s → unsupported_audio_type', async (type) => {
    const error = await voiceError(transport().transcribe!(new Blob([wavBytes(100)], { type })))
    expect(error.code).toBe('unsupported_audio_type')
    expect(server.received).toHaveLength(0)
  })

  test('over 20 MiB → audio_too_large', async () => {
    const error = await voiceError(
      transport().transcribe!(new Blob([new Uint8Array(20 * MiB + 1)], { type: 'audio/wav' })),
    )
    expect(error.code).toBe('audio_too_large')
    expect(server.received).toHaveLength(0)
  })
})

describe('fish: the API reference 200 response {text, duration, segments}', () => {
  test('segments mapped, duration in seconds', async () => {
    const body = {
      text: 'Turn on the lights.',
      duration: 2.5,
      segments: [
        { text: 'Turn on', start: 0, end: 1.1 },
        { text: ' the lights.', start: 1.1, end: 2.4 },
      ],
    }
    server.handle((_request, response) => reply(response, 200, body))
    expect(await transport().transcribe!(wav())).toEqual({
      text: 'Turn on the lights.',
      segments: [
        { text: 'Turn on', start: 0, end: 1.1 },
        { text: 'the lights.', start: 1.1, end: 2.4 },
      ],
      durationSec: 2.5,
      provider: 'fish',
      raw: body,
    })
  })

  test('a duration in milliseconds is normalised to seconds', async () => {
    server.handle((_request, response) =>
      reply(response, 200, { text: 'x', duration: 2500, segments: [{ text: 'x', start: 0, end: 2.4 }] }),
    )
    expect((await transport().transcribe!(wav())).durationSec).toBe(2.5)
  })

  const last = [{ text: 'a', start: 0, end: 2.4 }]
  test.each([
    ['seconds, with segments', 2.5, last, undefined, 2.5],
    ['milliseconds, with segments', 2400, last, undefined, 2.4],
    ['milliseconds, 1 s of 16 kHz WAV', 1000, [], 32_000, 1],
    ['seconds, 30 s of 16 kHz WAV', 30, [], 32_000 * 30, 30],
    ['a small value is never taken as ms', 3, [], 100, 3],
    ['absent', undefined, [], 100, undefined],
  ])('fishDurationSeconds: %s', (_name, duration, segments, bytes, expected) => {
    expect(fishDurationSeconds(duration, segments, bytes)).toBe(expected)
  })

  test.each([
    ['empty', ''],
    ['null', 'null'],
    ['text missing', '{"duration":1,"segments":[]}'],
  ])('200 %s → bad_response', async (_name, body) => {
    server.handle((_request, response) => reply(response, 200, body))
    expect((await voiceError(transport().transcribe!(wav()))).code).toBe('bad_response')
  })
})

describe('fish: the API reference error responses', () => {
  test.each([
    [401, 'Invalid api key', 'unauthorized', false],
    [402, 'No payment method', 'payment_required', false],
    [503, 'Service temporarily unavailable', 'provider_unavailable', true],
  ] as const)('%i {status, message} → %s', async (status, message, code, retryable) => {
    server.handle((_request, response) => reply(response, status, { status, message }))
    const error = await voiceError(transport().transcribe!(wav()))
    expect(error).toMatchObject({ code, status, message, provider: 'fish', retryable })
  })

  test('422 bare array [{loc, type, msg}] → invalid_request', async () => {
    server.handle((_request, response) =>
      reply(response, 422, [{ loc: ['body', 'audio'], type: 'missing', msg: 'Field required', in: 'body' }]),
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

describe('fish /v1/tts', () => {
  test('msgpack {text, format: mp3, reference_id, latency} with a model header; mp3 streams back', async () => {
    const mp3 = new Uint8Array([0xff, 0xfb, 9, 8, 7])
    let confirm = () => {}
    const confirmed = new Promise<void>((resolve) => {
      confirm = resolve
    })
    let ended = false
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.write(mp3.subarray(0, 2))
      await confirmed
      ended = true
      response.end(mp3.subarray(2))
    })
    const audio = await transport({ speechModel: 'speech-1.6', voice: 'voice-a', latency: 'balanced' }).speak!('Hello')
    const reader = audio.body.getReader()
    expect((await reader.read()).value).toEqual(mp3.subarray(0, 2))
    expect(ended).toBe(false)
    confirm()
    expect((await reader.read()).value).toEqual(mp3.subarray(2))
    expect((await reader.read()).done).toBe(true)
    expect(audio.mimeType).toBe('audio/mpeg')
    const [request] = server.received
    expect(request?.url).toBe('/v1/tts')
    expect(request?.headers['content-type']).toBe('application/msgpack')
    expect(request?.headers.model).toBe('speech-1.6')
    expect(unpack(request!.body)).toEqual({
      text: 'Hello',
      format: 'mp3',
      reference_id: 'voice-a',
      latency: 'balanced',
    })
  })

  test('defaults: model s1, the call voice as reference_id, nothing else', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end(new Uint8Array([1]))
    })
    const audio = await transport().speak!('Hi', { voice: 'voice-b' })
    expect(await readAll(audio.body)).toEqual(new Uint8Array([1]))
    expect(server.received[0]?.headers.model).toBe('s1')
    expect(unpack(server.received[0]!.body)).toEqual({ text: 'Hi', format: 'mp3', reference_id: 'voice-b' })
  })

  test('a JSON 200 instead of audio → bad_response', async () => {
    server.handle((_request, response) => reply(response, 200, { ok: true }))
    expect((await voiceError(transport().speak!('Hi'))).code).toBe('bad_response')
  })

  test('a 402 on tts → payment_required', async () => {
    server.handle((_request, response) => reply(response, 402, { status: 402, message: 'Insufficient balance' }))
    const error = await voiceError(transport().speak!('Hi'))
    expect(error).toMatchObject({ code: 'payment_required', message: 'Insufficient balance' })
  })
})

test('fish decoders are total: odd bodies give a transcript or a VoiceError', async () => {
  const bodies = ['[1,2]', '{"status":"x","message":{}}', '[{"loc":{},"msg":3}]', '"str"', '{"text":1}', '\u0000']
  for (const status of [200, 401, 422, 500]) {
    for (const body of bodies) {
      server.handle((_request, response) => reply(response, status, body))
      const outcome = await transport().transcribe!(wav()).catch((error: unknown) => error)
      expect(isVoiceError(outcome) || typeof (outcome as { text?: unknown }).text === 'string').toBe(true)
    }
  }
})
