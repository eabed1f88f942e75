// Fuzzing every decoder of untrusted bytes: the providers' error and transcript decoders, the HTTP error
// and audio-stream readers, each transport end to end over crafted `Response`s, the proxy's multipart
// rewriter, and the player's MP3 frame splitter. Properties: nothing but a VoiceError escapes (a
// MalformedMultipartError for the proxy's rewriter), every promise settles before a deadline, and no
// prototype is polluted. Seeded (FUZZ_SEED=n to replay); the seed and case index are in every failure.
import { isVoiceError, type SpeechTransport, type Transcript } from '@voicekit/core'
import { isVoiceErrorCode } from '@voicekit/core/server'
import { codeForStatus } from '@voicekit/core/transport'
import { pack } from 'msgpackr'
import { afterAll, describe, expect, test } from 'vitest'
import { createMp3Splitter, readFrame } from '../../packages/core/src/playback/mp3-frames'
import { readAudioStream } from '../../packages/core/src/transport/audio-stream'
import type { ErrorDecoder } from '../../packages/core/src/transport/decode'
import { httpError } from '../../packages/core/src/transport/http-error'
import { MalformedMultipartError, rewriteMultipartUser } from '../../packages/proxy/src/multipart'
import { deadline, drain, fixture, mulberry32, tinyWav, transportFactories } from './support.ts'

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2026) >>> 0
let random = mulberry32(SEED)
/** Each test draws from its own sequence, so that one test run alone (`-t`) replays the same cases. */
const reseed = (test: number) => {
  random = mulberry32(SEED + test)
}
const where = (name: string, index: number) => `${name} #${index} (FUZZ_SEED=${SEED})`

const int = (n: number) => Math.floor(random() * n)
const chance = (p: number) => random() < p
function pick<T>(items: readonly T[]): T {
  return items[int(items.length)]!
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort()
afterAll(() => {
  // Nothing a body said may have reached a prototype.
  expect(({} as Record<string, unknown>).polluted, `Object.prototype polluted (FUZZ_SEED=${SEED})`).toBeUndefined()
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames)
})

// --- generators -------------------------------------------------------------------------------------------

const KEYS = [
  'text',
  'chunks',
  'segments',
  'words',
  'word',
  'timestamp',
  'start',
  'end',
  'duration',
  'language',
  'code',
  'message',
  'status',
  'detail',
  'error',
  'msg',
  'loc',
  'type',
  'param',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'polluted',
  '',
]
const STRINGS = [
  '',
  ' ',
  '\u0000',
  'hello world',
  ' leading space',
  '__proto__',
  'constructor',
  'toString',
  'invalid_param',
  'internal_server_error',
  'insufficient_quota',
  'rate_limit_exceeded',
  'provider_quota_exceeded',
  'audio_too_large',
  '\ud800',
  '<html><body>502 Bad Gateway</body></html>',
  '💥'.repeat(20),
]

function randomString(): string {
  switch (int(5)) {
    case 0:
      return pick(STRINGS)
    case 1:
      return String.fromCharCode(...Array.from({ length: int(40) }, () => int(0xffff)))
    case 2:
      // Huge, now and then.
      return 'x'.repeat(chance(0.02) ? 1_000_000 : int(5_000))
    default:
      return pick(KEYS) + int(100)
  }
}

const NUMBERS = [0, -0, 1, -1, 0.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 1000, 86_400_000, 2.5e-7]

function randomValue(depth = 0): unknown {
  const kinds = depth > 4 ? 4 : 7
  switch (int(kinds)) {
    case 0:
      return null
    case 1:
      return chance(0.5)
    case 2:
      return pick(NUMBERS)
    case 3:
      return randomString()
    case 4:
      return chance(0.5) ? undefined : pick(NUMBERS) * -1
    case 5:
      return Array.from({ length: int(5) }, () => randomValue(depth + 1))
    default: {
      const out: Record<string, unknown> = {}
      for (let i = int(6); i > 0; i--) out[pick(KEYS)] = randomValue(depth + 1)
      return out
    }
  }
}

const validShapes: unknown[] = [
  { text: 'hello' },
  {
    text: ' hello',
    chunks: [
      { timestamp: [0, 1.2], text: ' hello' },
      { timestamp: [1.2, null], text: ' you' },
    ],
  },
  { text: 'hi', duration: 1.5, segments: [{ text: 'hi', start: 0, end: 1.5 }] },
  {
    text: 'hi',
    language: 'en',
    duration: 2,
    segments: [{ id: 0, text: 'hi', start: 0, end: 1 }],
    words: [{ word: 'hi', start: 0, end: 1 }],
  },
  { code: 'invalid_param', message: 'Invalid parameter.', status: 400 },
  { detail: { msg: 'No orchestrators available' } },
  { detail: [{ loc: ['body', 'audio'], msg: 'Field required', type: 'missing' }] },
  [{ loc: ['body', 'audio'], type: 'missing', msg: 'Field required' }],
  { status: 402, message: 'Insufficient balance' },
  { error: { message: 'Rate limit', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
]

/** A valid shape with one part replaced, deleted or wrapped, a few times over. */
function mutate(value: unknown, rounds = 1 + int(3)): unknown {
  let out = structuredClone(value)
  for (let round = 0; round < rounds; round++) {
    const containers: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = []
    const walk = (node: unknown) => {
      if (Array.isArray(node)) {
        for (const [i, child] of node.entries()) {
          containers.push({ parent: node, key: i })
          walk(child)
        }
      } else if (node && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) {
          containers.push({ parent: node as Record<string, unknown>, key })
          walk(child)
        }
      }
    }
    walk(out)
    if (containers.length === 0 || chance(0.05)) {
      out = chance(0.5) ? randomValue() : [out]
      continue
    }
    const { parent, key } = pick(containers)
    const target = parent as Record<string | number, unknown>
    switch (int(4)) {
      case 0:
        delete target[key]
        break
      case 1:
        target[key] = [target[key]]
        break
      default:
        target[key] = randomValue(2)
    }
  }
  return out
}

const POLLUTERS = [
  '{"__proto__":{"polluted":"yes"},"text":"x"}',
  '{"constructor":{"prototype":{"polluted":"yes"}},"text":"x"}',
  '{"text":"x","segments":[{"__proto__":{"polluted":"yes"},"text":"a","start":0}]}',
  '{"error":{"__proto__":{"polluted":"yes"},"code":"__proto__"}}',
  '{"code":"__proto__","message":"x"}',
  '{"code":"constructor","message":"x"}',
  '{"detail":[{"__proto__":{"polluted":1},"loc":["__proto__"],"msg":"x"}]}',
]

const mp3 = fixture('weather.mp3')

/** A body as text or bytes: JSON (random, mutated, polluting, deeply nested), msgpack, multipart, MP3, noise. */
function randomBody(): string | Uint8Array<ArrayBuffer> {
  switch (int(12)) {
    case 0:
      return JSON.stringify(randomValue()) ?? 'null'
    case 1:
    case 2:
      return JSON.stringify(mutate(pick(validShapes))) ?? ''
    case 3:
      return pick(POLLUTERS)
    case 4: {
      const depth = pick([10, 1_000, 10_000, 10_000, 100_000])
      return chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    }
    case 5: {
      const packed = new Uint8Array(pack(chance(0.5) ? mutate(pick(validShapes)) : randomValue()))
      return chance(0.5) ? packed : packed.slice(0, int(packed.length + 1))
    }
    case 6: {
      const boundary = `b${int(1e6)}`
      return `--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n${randomString().slice(0, 100)}\r\n--${boundary}${chance(0.5) ? '--' : ''}`
    }
    case 7:
      return mp3.slice(0, int(mp3.length))
    case 8: {
      const text = JSON.stringify(pick(validShapes))
      return text.slice(0, int(text.length)) // truncated JSON
    }
    case 9:
      return pick(['', ' ', 'null', 'true', '0', '""', '[]', '{}', 'NaN', 'undefined', '\ufeff{"text":"bom"}'])
    case 10:
      return new Uint8Array(Array.from({ length: int(300) }, () => int(256)))
    default:
      return randomString()
  }
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'text/html',
  'audio/mpeg',
  'audio/mp3',
  'audio/wav',
  'application/octet-stream',
  'application/msgpack',
  'multipart/form-data; boundary=x',
  '',
  'AUDIO/MPEG; charset=utf-8',
  'application/problem+json',
]
const STATUSES = [200, 200, 200, 200, 201, 299, 400, 401, 402, 403, 404, 405, 408, 413, 415, 418, 422, 429, 451]
const MORE_STATUSES = [500, 501, 502, 503, 504, 599]

/** A body stream in random pieces; now and then it breaks half-way with an arbitrary reason. */
function streamOf(bytes: Uint8Array, breakWith?: unknown): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (breakWith !== undefined && at >= bytes.length / 2) {
        controller.error(breakWith)
        return
      }
      if (at >= bytes.length) {
        controller.close()
        return
      }
      const size = chance(0.2) ? 0 : 1 + int(chance(0.5) ? 8 : 4096)
      controller.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
}

const BREAKS: unknown[] = [new TypeError('terminated'), new Error('socket hang up'), 'a string', null, { weird: 1 }, 0]

function randomResponse(): Response {
  const status = pick(chance(0.2) ? MORE_STATUSES : STATUSES)
  const headers = new Headers()
  const type = pick(CONTENT_TYPES)
  if (type) headers.set('content-type', type)
  if (chance(0.15)) headers.set('x-voicekit-error', pick(['timeout', 'aborted', '__proto__', 'toString', 'nope', '']))
  const body = randomBody()
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
  const broken = chance(0.15) ? pick(BREAKS) : undefined
  return new Response(chance(0.05) ? null : streamOf(bytes, broken), { status, headers })
}

// --- direct decoders --------------------------------------------------------------------------------------

/** Every provider module's decoders, found by name (`decode…Error`, `decode…Transcript`): a new provider is in by itself. */
const providerModules = import.meta.glob<Record<string, unknown>>(
  ['../../packages/core/src/providers/*/*.ts', '!**/*.test.ts', '!**/index.ts', '!**/descriptor.ts'],
  { eager: true },
)
const errorDecoders: [string, ErrorDecoder][] = []
const transcriptDecoders: [string, (body: unknown) => Transcript][] = []
for (const [path, module] of Object.entries(providerModules)) {
  const folder = path.split('/').at(-2)!
  for (const [name, value] of Object.entries(module)) {
    if (typeof value !== 'function') continue
    if (/^decode\w+Error$/.test(name)) errorDecoders.push([folder, value as ErrorDecoder])
    // The third argument is each decoder's own option (word mode, or the upload's size): random, or none.
    const decode = value as (body: unknown, status: number, option?: number) => Transcript
    if (/^decode\w+Transcript$/.test(name))
      transcriptDecoders.push([folder, (body) => decode(body, 200, chance(0.5) ? int(100_000) : undefined)])
  }
}

test('the fuzz finds every provider’s decoders', () => {
  const folders = new Set(Object.keys(providerModules).map((path) => path.split('/').at(-2)))
  expect(new Set(errorDecoders.map(([name]) => name))).toEqual(folders)
  expect(new Set(transcriptDecoders.map(([name]) => name))).toEqual(folders)
  expect(folders.size).toBeGreaterThanOrEqual(4)
})

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function checkTranscript(transcript: Transcript, label: string) {
  expect(typeof transcript.text, label).toBe('string')
  expect(Array.isArray(transcript.segments), label).toBe(true)
  for (const segment of transcript.segments) {
    expect(typeof segment.text, label).toBe('string')
    expect(Number.isFinite(segment.start), label).toBe(true)
    expect(segment.end === null || Number.isFinite(segment.end), label).toBe(true)
  }
  if (transcript.durationSec !== undefined) expect(Number.isFinite(transcript.durationSec), label).toBe(true)
  if (transcript.language !== undefined) expect(typeof transcript.language, label).toBe('string')
}

describe('the providers’ decoders, called directly', () => {
  test('error decoders are total: 1500 bodies, never a throw, only known codes', () => {
    reseed(1)
    for (let i = 0; i < 1500; i++) {
      const text = (() => {
        const body = randomBody()
        return typeof body === 'string' ? body : new TextDecoder().decode(body)
      })()
      const body = chance(0.2) ? randomValue() : parsedOrUndefined(text)
      const status = pick([...STATUSES, ...MORE_STATUSES])
      for (const [name, decode] of errorDecoders) {
        const label = where(`${name} error decoder`, i)
        let info: ReturnType<ErrorDecoder>
        try {
          info = decode(status, body, text)
        } catch (error) {
          throw new Error(`${label}: the decoder threw ${String(error)}`, { cause: error })
        }
        if (info === undefined) continue
        expect(typeof info, label).toBe('object')
        if (info.code !== undefined) expect(isVoiceErrorCode(info.code), `${label}: ${info.code}`).toBe(true)
        for (const field of ['message', 'providerCode'] as const) {
          if (info[field] !== undefined) expect(typeof info[field], `${label} ${field}`).toBe('string')
        }
        if (info.retryable !== undefined) expect(typeof info.retryable, label).toBe('boolean')
      }
    }
  })

  test('transcript decoders return a well-formed transcript or throw bad_response: 1500 bodies', () => {
    reseed(2)
    for (let i = 0; i < 1500; i++) {
      const raw = randomBody()
      const body = chance(0.3)
        ? mutate(pick(validShapes))
        : (parsedOrUndefined(typeof raw === 'string' ? raw : '') ?? randomValue())
      for (const [name, decode] of transcriptDecoders) {
        const label = where(`${name} transcript decoder`, i)
        try {
          checkTranscript(decode(body), label)
        } catch (error) {
          if (!isVoiceError(error)) throw new Error(`${label}: threw ${String(error)}`, { cause: error })
          expect(error.code, label).toBe('bad_response')
        }
      }
    }
  })

  test('httpError turns any error response into a VoiceError: 800 responses', async () => {
    reseed(3)
    for (let i = 0; i < 800; i++) {
      const label = where('httpError', i)
      const response = randomResponse()
      const [name, decode] = pick(errorDecoders)
      const error = await deadline(httpError(name, response, decode), 2_000, label)
      expect(isVoiceError(error), label).toBe(true)
      expect(isVoiceErrorCode(error.code), label).toBe(true)
      expect(typeof error.message, label).toBe('string')
      expect(error.status, label).toBe(response.status)
      const marked = response.headers.get('x-voicekit-error')
      // The proxy's marker wins when it is a known code; an unknown marker ('__proto__', 'toString') is ignored.
      if (marked?.trim() && isVoiceErrorCode(marked.trim())) expect(error.code, label).toBe(marked.trim())
      else if (error.providerCode === undefined && response.status < 500 && response.status !== 422) {
        // Without a provider code the decoders add no code of their own: the status decides.
        if (error.code !== codeForStatus(response.status)) expect(error.code, label).toBe('invalid_request')
      }
    }
  })
})

// --- the speech stream reader and truncated MP3 -----------------------------------------------------------

describe('readAudioStream with truncated, chunked and broken MP3', () => {
  test('800 streams: every byte handed on in order, a break is a VoiceError, nothing hangs', async () => {
    reseed(4)
    for (let i = 0; i < 800; i++) {
      const label = where('readAudioStream', i)
      const cut = int(mp3.length + 1)
      const bytes = chance(0.8) ? mp3.slice(0, cut) : (randomBody() as Uint8Array)
      const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes
      const broken = chance(0.3) ? pick(BREAKS) : undefined
      const type = pick(['audio/mpeg', 'audio/mp3', '', 'application/octet-stream', 'application/json', 'text/plain'])
      const response = new Response(streamOf(data, broken), { headers: type ? { 'content-type': type } : {} })
      const controller = new AbortController()
      const abortAt = chance(0.1) ? int(4) : -1
      const run = async () => {
        let stream: Awaited<ReturnType<typeof readAudioStream>>
        try {
          stream = await readAudioStream(response, 'fuzz', 'audio/mpeg', controller.signal)
        } catch (error) {
          if (!isVoiceError(error)) throw new Error(`${label}: readAudioStream threw ${String(error)}`)
          return { rejected: error.code }
        }
        const collected: Uint8Array[] = []
        const reader = stream.body.getReader()
        for (let k = 0; ; k++) {
          if (k === abortAt) controller.abort()
          let result: ReadableStreamReadResult<Uint8Array>
          try {
            result = await reader.read()
          } catch (error) {
            if (!isVoiceError(error)) throw new Error(`${label}: the stream failed with ${String(error)}`)
            return { streamError: error.code, collected }
          }
          if (result.done) return { collected }
          collected.push(result.value)
        }
      }
      const outcome = await deadline(run(), 2_000, label)
      if ('rejected' in outcome) {
        expect(['bad_response', 'network', 'aborted'], label).toContain(outcome.rejected)
        continue
      }
      const got = Buffer.concat(outcome.collected)
      // Whatever arrived is a prefix of what was sent, byte for byte.
      expect(Buffer.compare(got, Buffer.from(data.subarray(0, got.length))), label).toBe(0)
      if ('streamError' in outcome) expect(['network', 'aborted'], label).toContain(outcome.streamError)
      else if (abortAt < 0) {
        expect(got.length, label).toBe(data.length)
        expect(broken, `${label}: a broken stream ended quietly`).toBeUndefined()
      }
    }
  })

  // The player's MP3 frame splitter (packages/core/src/playback): only whole frames come out.
  test('the MP3 frame splitter: 1000 truncated or corrupted streams in random pieces, never a throw', () => {
    reseed(5)
    for (let i = 0; i < 1000; i++) {
      const label = where('mp3 splitter', i)
      const data = mp3.slice(0, int(mp3.length + 1))
      for (let flips = chance(0.5) ? int(20) : 0; flips > 0; flips--) data[int(data.length)] = int(256)
      if (chance(0.1) && data.length >= 10)
        data.set(new TextEncoder().encode('ID3\u0004\u0000\u0000\u007f\u007f\u007f\u007f'), 0)
      const splitter = createMp3Splitter()
      const frames: Uint8Array[] = []
      try {
        for (let at = 0; at < data.length; ) {
          const size = 1 + int(chance(0.5) ? 5 : 3000)
          frames.push(...splitter.push(data.subarray(at, at + size)))
          at += size
        }
        const end = splitter.end()
        frames.push(...end.frames)
        expect(typeof end.truncated, label).toBe('boolean')
      } catch (error) {
        throw new Error(`${label}: the splitter threw ${String(error)}`, { cause: error })
      }
      let total = 0
      for (const frame of frames) {
        const header = readFrame(frame, 0)
        expect(header?.length, label).toBe(frame.length)
        total += frame.length
      }
      expect(total, label).toBeLessThanOrEqual(data.length)
    }
  })
})

// --- each transport end to end over crafted Responses ----------------------------------------------------

type Make = (fetcher: typeof fetch) => SpeechTransport
const transports: [string, Make][] = [...(await transportFactories())].map(([id, create]) => [
  id,
  (fetcher) => create({ baseUrl: `http://fuzz.invalid/${id}`, fetch: fetcher, timeoutMs: 2_000 }),
])

const FETCH_FAILURES: (() => unknown)[] = [
  () => Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })),
  () => Promise.reject(new DOMException('The operation was aborted.', 'AbortError')),
  () => Promise.reject('a string'),
  () => Promise.reject(null),
  () => Promise.resolve(undefined),
  () => Promise.resolve({ ok: true, status: 200, headers: new Headers(), text: () => Promise.resolve('{"text":1}') }),
  () => {
    throw new RangeError('synchronous throw')
  },
]

describe('every transport over crafted Responses', () => {
  test('1500 transcriptions and speeches: a value or a VoiceError, every stream read to its end', async () => {
    reseed(6)
    const wavBlob = tinyWav()
    const seen = new Map<string, number>()
    for (let i = 0; i < 1500; i++) {
      const [name, make] = pick(transports)
      const label = where(`${name} transport`, i)
      const fetcher = (chance(0.05) ? pick(FETCH_FAILURES) : () => Promise.resolve(randomResponse())) as typeof fetch
      const transport = make(fetcher)
      const speak = transport.speak && chance(0.5)
      const run = async (): Promise<string> => {
        try {
          if (!speak) {
            const transcript = await transport.transcribe!(wavBlob)
            checkTranscript(transcript, label)
            return 'transcript'
          }
          const stream = await transport.speak!('Hello.')
          const read = await drain(stream.body)
          if (read.error !== undefined && !isVoiceError(read.error)) {
            throw new Error(`${label}: the speech stream failed with ${String(read.error)}`)
          }
          return read.error === undefined ? 'audio' : 'stream-error'
        } catch (error) {
          if (!isVoiceError(error)) throw new Error(`${label}: threw ${String(error)}`, { cause: error })
          expect(isVoiceErrorCode(error.code), label).toBe(true)
          expect(typeof error.retryable, label).toBe('boolean')
          return error.code
        }
      }
      const result = await deadline(run(), 3_000, label)
      seen.set(result, (seen.get(result) ?? 0) + 1)
    }
    // The generator reaches both sides: successes and a spread of failures.
    for (const outcome of ['transcript', 'audio', 'bad_response', 'network', 'invalid_request']) {
      expect(seen.get(outcome), `${outcome} never happened (FUZZ_SEED=${SEED})`).toBeGreaterThan(0)
    }
  })
})

// --- the proxy's multipart rewriter (request side: what a browser sends) ---------------------------------

describe("the proxy's multipart user rewriter", () => {
  const boundary = 'fuzzBoundary42'
  function randomForm(): Uint8Array {
    const parts: string[] = []
    for (let n = int(5); n >= 0; n--) {
      const name = pick(['file', 'user', 'User', 'user ', '"user"', 'other', 'user"; name="x', ''])
      const extra = pick(['', '; filename="a.wav"', '; name="user"', "; name*=UTF-8''user", '\r\n folded'])
      const type = chance(0.5) ? '\r\nContent-Type: audio/wav' : ''
      const body = chance(0.3) ? `--${boundary}` : randomString().slice(0, 200)
      parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}${type}\r\n\r\n${body}\r\n`)
    }
    let text = `${chance(0.1) ? 'preamble\r\n' : ''}${parts.join('')}--${boundary}--\r\n`
    if (chance(0.3)) {
      const at = int(text.length)
      text =
        text.slice(0, at) + pick(['', '\r\n', '--', '\r\n\r\n', `--${boundary}`, '\u0000']) + text.slice(at + int(4))
    }
    return new TextEncoder().encode(text)
  }

  /** Independent reading of the output: the names of its parts, and the user part's value. */
  function userParts(output: string): string[] {
    const values: string[] = []
    // A delimiter is CRLF + `--boundary` (RFC 2046); the first one has no CRLF before it, so add one.
    for (const part of `\r\n${output}`.split(`\r\n--${boundary}`)) {
      const end = part.indexOf('\r\n\r\n')
      if (end === -1) continue
      const headers = part.slice(0, end)
      const disposition = headers.split('\r\n').find((line) => /^content-disposition:/i.test(line)) ?? ''
      // The `name` parameter exactly (not `--name`, not `filename`; `User` is another field), as form parsers read it.
      if (/;\s*[nN][aA][mM][eE]\s*=\s*"user"\s*(?:;|$)/.test(disposition)) {
        values.push(part.slice(end + 4).replace(/\r\n$/, ''))
      }
    }
    return values
  }

  test('1000 mutated forms: rewritten with exactly one server user part, or refused as malformed', async () => {
    reseed(7)
    let rewritten = 0
    for (let i = 0; i < 1000; i++) {
      const label = where('multipart rewriter', i)
      const input = randomForm()
      const run = async (): Promise<{ output: string } | { refused: true }> => {
        const source = streamOf(input)
        try {
          const output = await new Response(source.pipeThrough(rewriteMultipartUser(boundary, 'server-user'))).text()
          return { output }
        } catch (error) {
          if (!(error instanceof MalformedMultipartError)) {
            throw new Error(`${label}: the rewriter failed with ${String(error)}`, { cause: error })
          }
          return { refused: true }
        }
      }
      const outcome = await deadline(run(), 2_000, label)
      if ('output' in outcome) {
        rewritten++
        expect(userParts(outcome.output), label).toEqual(['server-user'])
      }
    }
    expect(rewritten).toBeGreaterThan(30)
    expect(rewritten).toBeLessThan(1000)
  })
})
