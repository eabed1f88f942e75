// The shared HTTP plumbing, exercised through real transports over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { isVoiceError, type VoiceError } from '../errors'
import { VOICE_ERROR_HEADER } from '../providers/descriptor'
import { createDifyTransport } from '../providers/dify'
import { createLivepeerTransport } from '../providers/livepeer'
import { createOpenAITransport } from '../providers/openai'
import { readAll, rejection, reply, startServer, type TestServer, wavBytes } from '../test-support/http'
import { normaliseAudioMime } from './http'
import { codeForStatus } from './http-error'
import type { SpeechTransport } from './types'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.received.length = 0
})

const wav = () => new Blob([wavBytes(200)], { type: 'audio/wav' })
const dify = (timeoutMs?: number) => createDifyTransport({ baseUrl: server.url, timeoutMs })
const voiceError = async (promise: Promise<unknown>) => {
  const error = await rejection(promise)
  expect(isVoiceError(error), String(error)).toBe(true)
  return error as VoiceError
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('timeout, abort, network', () => {
  test('no answer within timeoutMs → timeout (retryable)', async () => {
    // The answer comes well after the deadline: ending `timeout`, not with the late text, is the proof.
    server.handle(async (_request, response) => {
      await sleep(3000)
      reply(response, 200, { text: 'late' })
    })
    const error = await voiceError(dify(100).transcribe!(wav()))
    expect(error).toMatchObject({ code: 'timeout', provider: 'dify', retryable: true })
  })

  test('speech whose first bytes do not come within timeoutMs → timeout', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.flushHeaders()
      await sleep(1000)
      response.end(new Uint8Array([1]))
    })
    const error = await voiceError(dify(100).speak!('Hi'))
    expect(error.code).toBe('timeout')
  })

  test('a stream that has started is not cut by timeoutMs', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.write(new Uint8Array([1, 2]))
      await sleep(300)
      response.end(new Uint8Array([3]))
    })
    const audio = await dify(100).speak!('Hi')
    expect(await readAll(audio.body)).toEqual(new Uint8Array([1, 2, 3]))
  })

  test('the caller aborting mid-request → aborted (not retryable)', async () => {
    server.handle(async (_request, response) => {
      await sleep(1000)
      reply(response, 200, { text: 'late' })
    })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const error = await voiceError(dify().transcribe!(wav(), { signal: controller.signal }))
    expect(error).toMatchObject({ code: 'aborted', retryable: false })
  })

  test('an already aborted signal sends nothing', async () => {
    const error = await voiceError(dify().transcribe!(wav(), { signal: AbortSignal.abort() }))
    expect(error.code).toBe('aborted')
    expect(server.received).toHaveLength(0)
  })

  test('aborting while speech streams errors the stream with aborted', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.write(new Uint8Array([1, 2]))
    })
    const controller = new AbortController()
    const audio = await dify().speak!('Hi', { signal: controller.signal })
    const reader = audio.body.getReader()
    expect((await reader.read()).value).toEqual(new Uint8Array([1, 2]))
    controller.abort()
    const error = await voiceError(reader.read())
    expect(error.code).toBe('aborted')
  })

  test('a connection dropped mid-stream → network', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.write(new Uint8Array([1, 2]))
      await sleep(50)
      response.socket?.destroy()
    })
    const audio = await dify().speak!('Hi')
    const error = await voiceError(readAll(audio.body))
    expect(error).toMatchObject({ code: 'network', retryable: true })
  })

  test('connection refused → network (retryable)', async () => {
    const closed = await startServer()
    const url = closed.url
    await closed.close()
    const error = await voiceError(createDifyTransport({ baseUrl: url }).transcribe!(wav()))
    expect(error).toMatchObject({ code: 'network', provider: 'dify', retryable: true })
    expect(error.cause).toBeDefined()
  })

  test('a custom fetch is used, called as a plain function', async () => {
    server.handle((_request, response) => reply(response, 200, { text: 'via custom fetch' }))
    const calls: string[] = []
    const custom: typeof fetch = function (this: unknown, input, init) {
      calls.push(String(input))
      expect(this).toBeUndefined()
      return fetch(input, init)
    }
    const transcript = await createDifyTransport({ baseUrl: server.url, fetch: custom }).transcribe!(wav())
    expect(transcript.text).toBe('via custom fetch')
    expect(calls).toEqual([`${server.url}/audio-to-text`])
  })

  test('a fetch that throws something odd still gives a VoiceError', async () => {
    const broken = (() => {
      throw 'not an error'
    }) as unknown as typeof fetch
    const error = await voiceError(createDifyTransport({ baseUrl: server.url, fetch: broken }).transcribe!(wav()))
    expect(error.code).toBe('network')
  })
})

describe(`the proxy's ${VOICE_ERROR_HEADER} header`, () => {
  test('its code wins over the provider-shaped body; no providerCode', async () => {
    server.handle((_request, response) =>
      reply(
        response,
        504,
        { status: 504, code: 'timeout', message: 'Upstream did not answer' },
        { [VOICE_ERROR_HEADER]: 'timeout' },
      ),
    )
    const error = await voiceError(dify().transcribe!(wav()))
    expect(error).toMatchObject({ code: 'timeout', status: 504, message: 'Upstream did not answer', retryable: true })
    expect(error.providerCode).toBeUndefined()
  })

  test('provider_misconfigured from the proxy is not retryable even as a 500', async () => {
    server.handle((_request, response) =>
      reply(
        response,
        500,
        { detail: { msg: 'livepeer is not configured' } },
        { [VOICE_ERROR_HEADER]: 'provider_misconfigured' },
      ),
    )
    const error = await voiceError(createLivepeerTransport({ baseUrl: server.url }).transcribe!(wav()))
    expect(error).toMatchObject({ code: 'provider_misconfigured', status: 500, retryable: false })
    expect(error.message).toBe('livepeer is not configured')
  })

  test('an unknown code in the header is ignored', async () => {
    server.handle((_request, response) =>
      reply(response, 413, { status: 413, code: 'audio_too_large', message: 'big' }, { [VOICE_ERROR_HEADER]: 'bogus' }),
    )
    const error = await voiceError(dify().transcribe!(wav()))
    expect(error).toMatchObject({ code: 'audio_too_large', providerCode: 'audio_too_large' })
  })
})

describe('error bodies that say little', () => {
  test('a plain-text body becomes the message; the status decides the code', async () => {
    server.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/plain' })
      response.end('Bad Gateway\n')
    })
    const error = await voiceError(dify().transcribe!(wav()))
    expect(error).toMatchObject({ code: 'provider_unavailable', status: 502, message: 'Bad Gateway', retryable: true })
  })

  test('an HTML error page does not become the message', async () => {
    server.handle((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/html' })
      response.end('<html><body>Service Unavailable</body></html>')
    })
    const error = await voiceError(dify().transcribe!(wav()))
    expect(error.code).toBe('provider_unavailable')
    expect(error.message).not.toContain('<html>')
  })

  test.each([
    [400, 'invalid_request'],
    [401, 'unauthorized'],
    [402, 'payment_required'],
    [403, 'unauthorized'],
    [404, 'provider_misconfigured'],
    [408, 'timeout'],
    [413, 'audio_too_large'],
    [415, 'unsupported_audio_type'],
    [422, 'invalid_request'],
    [429, 'quota_exceeded'],
    [500, 'provider_unavailable'],
    [503, 'provider_unavailable'],
  ] as const)('status %i with an empty body → %s', async (status, code) => {
    server.handle((_request, response) => {
      response.writeHead(status)
      response.end()
    })
    const error = await voiceError(dify().transcribe!(wav()))
    expect(error).toMatchObject({ code, status })
    expect(error.retryable).toBe(status >= 500 || status === 429 || status === 408)
  })

  test('codeForStatus agrees for a 2xx (bad_response)', () => {
    expect(codeForStatus(204)).toBe('bad_response')
  })
})

test.each([
  ['audio/mp3', 'audio/mpeg'],
  ['audio/mpeg;codecs=mp3', 'audio/mpeg'],
  [' Audio/Wave ', 'audio/wav'],
  ['audio/ogg; codecs=opus', 'audio/ogg'],
  [null, ''],
])('normaliseAudioMime(%s) → %s', (input, output) => {
  expect(normaliseAudioMime(input)).toBe(output)
})

// Decoders must be total: whatever a server answers, only VoiceErrors (or a transcript) come out.
function* randomBodies(seed: number) {
  let state = seed
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const values: unknown[] = [null, true, 0, -1, 1e308, 'x', '', [], {}, [null], { text: null }]
  const value = (depth: number): unknown => {
    const pick = rand()
    if (depth > 2 || pick < 0.3) return values[Math.floor(rand() * values.length)]
    if (pick < 0.6) return Array.from({ length: Math.floor(rand() * 3) }, () => value(depth + 1))
    const keys = [
      'text',
      'chunks',
      'segments',
      'timestamp',
      'detail',
      'error',
      'code',
      'message',
      'msg',
      'loc',
      'status',
      'duration',
      'words',
      '__proto__',
      'constructor',
    ]
    return Object.fromEntries(
      Array.from({ length: 1 + Math.floor(rand() * 4) }, () => [
        keys[Math.floor(rand() * keys.length)],
        value(depth + 1),
      ]),
    )
  }
  for (let i = 0; i < 40; i++) {
    const status = [200, 200, 400, 401, 413, 422, 429, 500, 502][Math.floor(rand() * 9)]!
    const raw = rand() < 0.15 ? '\u0000{"text":' : JSON.stringify(value(0))
    yield { status, raw }
  }
}

describe.each<[string, (url: string) => SpeechTransport]>([
  ['dify', (url) => createDifyTransport({ baseUrl: url })],
  ['livepeer', (url) => createLivepeerTransport({ baseUrl: url })],
  ['openai', (url) => createOpenAITransport({ baseUrl: url })],
])('%s decoders are total', (_name, make) => {
  test('40 random bodies → a transcript or a VoiceError, nothing else', async () => {
    const transport = make(server.url)
    let errors = 0
    for (const { status, raw } of randomBodies(7)) {
      server.handle((_request, response) => reply(response, status, raw))
      try {
        const transcript = await transport.transcribe!(wav())
        expect(typeof transcript.text).toBe('string')
        expect(Array.isArray(transcript.segments)).toBe(true)
      } catch (error) {
        expect(isVoiceError(error), `${status} ${raw}: ${String(error)}`).toBe(true)
        errors++
      }
    }
    expect(errors).toBeGreaterThan(0)
  })
})
