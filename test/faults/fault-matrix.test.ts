// The server-side half of the fault matrix: every built-in transport, through the proxy on
// node:http, to the speech server in fault mode (or, for what it cannot answer, a small custom upstream
// built from its own fault grammar and writer). One test per cell: provider × operation × fault. Each
// must end in the exact VoiceError code and retryable flag, before a hard deadline, and leave no
// request open upstream. A text-to-speech stream is read to its end: a cut stream must reject.
import { providerDescriptors, type VoiceError, type VoiceErrorCode } from '@voicekit/core'
import type { VoiceProxyOptions } from '@voicekit/proxy'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { providers as speechProviders } from '../../apps/speech-server/src/routes/index.ts'
import { type SpeechServer, type SpeechServerEvent, startSpeechServer } from '../../apps/speech-server/src/server.ts'
import {
  type CustomUpstream,
  deadline,
  delay,
  drain,
  type ProxyFront,
  settle,
  startCustomUpstream,
  startProxies,
  type TransportFactory,
  tinyWav,
  transportFactories,
  waitUntil,
  wav,
} from './support.ts'

const KEY = 'sk-fault-matrix-KEYCANARY-7f3a9c'
/** The proxy's longest silence in the proxy-timeout cells and a transcript's stall. */
const SLOW_PROXY_MS = 600
/**
 * The same for a speech stream's stall: above a first sentence's synthesis on a busy machine (its headers go out
 * with the first sentence's MP3; at 1.5 s a loaded 2-core machine answered 504 before that).
 */
const STALL_PROXY_MS = 4_000
/** The transport's own timeout in the client-timeout cells. */
const CLIENT_TIMEOUT_MS = 600
/** Longer than both: a request held this long is cut by whichever timeout the cell is about. */
const HELD_MS = 5_000
/** The hold in the during-upload cell. */
const UPLOAD_HELD_MS = 1_500
/** Every cell settles well inside this, or it is a hang. */
const CELL_DEADLINE_MS = 12_000
const SPOKEN = 'Hello there. Goodbye now.'
/** A recording too large to fit in the loopback socket buffers while the server does not read it. */
const BIG_UPLOAD = 16 * 1024 * 1024

type Kind = 'stt' | 'tts'
type Upstream = 'speech' | 'custom'
type AbortPhase = 'before-upload' | 'during-upload' | 'waiting' | 'during-stream'

interface Op {
  provider: string
  create: TransportFactory
  kind: Kind
  /** Where this operation's success answers come from. */
  upstream: Upstream
}

interface Expected {
  /** `ok`: the operation succeeds (garbage audio: the transport cannot tell, the player decodes it). */
  code: VoiceErrorCode | 'ok'
  retryable?: boolean
  status?: number | undefined
  /** Where a text-to-speech failure must surface: the `speak()` promise, or the stream after it resolved. */
  phase?: 'request' | 'stream'
  bytes?: number
}

interface Cell {
  name: string
  fault?: string
  proxy: 'normal' | 'slow' | 'stall'
  clientTimeoutMs?: number
  abort?: AbortPhase
  messageId?: string
  bigUpload?: boolean
  expected: Expected
}

const factories = await transportFactories()

/**
 * Every operation of every provider descriptor: answered by the speech server when it has the endpoint (its
 * base + the endpoint's path template is one of its routes), else by the custom upstream (Fish's text to speech).
 */
const ops: Op[] = Object.values(providerDescriptors).flatMap((descriptor) =>
  descriptor.endpoints.map((endpoint): Op => {
    const create = factories.get(descriptor.id)
    if (!create) throw new Error(`no transport factory exported for ${descriptor.id}`)
    const speech = speechProviders.find((p) => p.id === descriptor.id)
    const served = speech?.routes.some((route) => route.path === `${speech.base}${endpoint.path}`)
    return {
      provider: descriptor.id,
      create,
      kind: endpoint.operation === 'transcribe' ? 'stt' : 'tts',
      upstream: served ? 'speech' : 'custom',
    }
  }),
)

test('the matrix covers every operation of every descriptor', () => {
  const expected = Object.values(providerDescriptors).flatMap((d) => d.endpoints.map((e) => `${d.id} ${e.operation}`))
  expect(ops.map((op) => `${op.provider} ${op.kind === 'stt' ? 'transcribe' : 'speak'}`)).toEqual(expected)
  expect(ops.filter((op) => op.upstream === 'speech').length).toBeGreaterThan(ops.length / 2)
})

const byStatus: [number, VoiceErrorCode, boolean][] = [
  [400, 'invalid_request', false],
  [401, 'unauthorized', false],
  [402, 'payment_required', false],
  [413, 'audio_too_large', false],
  [415, 'unsupported_audio_type', false],
  [422, 'invalid_request', false],
  [429, 'quota_exceeded', true],
  [500, 'provider_unavailable', true],
  [503, 'provider_unavailable', true],
]

function cellsFor(op: Op): Cell[] {
  const tts = op.kind === 'tts'
  const cells: Cell[] = byStatus.map(([status, code, retryable]) => ({
    name: `status ${status}`,
    fault: `status=${status}`,
    proxy: 'normal',
    expected: { code, retryable, status, phase: 'request' },
  }))
  cells.push(
    {
      name: 'delay past the proxy timeout',
      fault: `delay=${HELD_MS}`,
      proxy: 'slow',
      expected: { code: 'timeout', retryable: true, status: 504, phase: 'request' },
    },
    {
      name: 'delay past the client timeout',
      fault: `delay=${HELD_MS}`,
      proxy: 'normal',
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
      expected: { code: 'timeout', retryable: true, status: undefined, phase: 'request' },
    },
    {
      // Headers and the first part of the body, then silence: the proxy cuts the connection, the client
      // sees a truncated body. For speech the stream has started, so the stream itself must error.
      name: 'stall mid-body',
      fault: 'stall',
      proxy: tts ? 'stall' : 'slow',
      expected: { code: 'network', retryable: true, status: undefined, phase: tts ? 'stream' : 'request' },
    },
    {
      name: 'drop after N bytes',
      fault: tts ? 'drop-after=600' : 'drop-after=5',
      proxy: 'normal',
      expected: { code: 'network', retryable: true, status: undefined, phase: tts ? 'stream' : 'request' },
    },
    {
      name: 'garbage body',
      fault: 'garbage',
      proxy: 'normal',
      // A transcript that is not JSON is bad_response. Audio bytes are passed on as they are: only a
      // decoder can tell noise from MP3, so the player turns it into playback_failed (browser half).
      expected: tts ? { code: 'ok', bytes: 4096 } : { code: 'bad_response', retryable: false, status: 200 },
    },
    {
      name: 'empty 200',
      fault: 'empty',
      proxy: 'normal',
      expected: { code: 'bad_response', retryable: false, status: 200, phase: 'request' },
    },
    op.provider === 'dify' && tts
      ? {
          // The speech server's own Dify behaviour: a message_id that matches nothing answers `200 null`.
          name: '200 null',
          proxy: 'normal',
          messageId: 'no-such-message',
          expected: { code: 'bad_response', retryable: false, status: 200, phase: 'request' },
        }
      : {
          name: '200 null',
          fault: 'null',
          proxy: 'normal',
          expected: { code: 'bad_response', retryable: false, status: 200, phase: 'request' },
        },
    {
      name: 'client abort before upload',
      proxy: 'normal',
      abort: 'before-upload',
      expected: { code: 'aborted', retryable: false, status: undefined, phase: 'request' },
    },
  )
  // A speech request's upload is a few bytes of JSON: it cannot be caught half-way.
  if (!tts) {
    cells.push({
      // The server holds the request without reading it, so the upload is stuck half-way when the
      // client gives up. It holds it only briefly: Node's fetch (undici 6 and 7) does not close a socket
      // whose upload is blocked when its request is aborted, so an upstream that is not reading learns
      // of the abort only when it reads again (see 'abort propagation' below).
      name: 'client abort during upload',
      fault: `delay=${UPLOAD_HELD_MS}`,
      proxy: 'normal',
      abort: 'during-upload',
      bigUpload: true,
      expected: { code: 'aborted', retryable: false, status: undefined, phase: 'request' },
    })
  }
  cells.push(
    {
      name: 'client abort while waiting',
      fault: `delay=${HELD_MS}`,
      proxy: 'normal',
      abort: 'waiting',
      expected: { code: 'aborted', retryable: false, status: undefined, phase: 'request' },
    },
    {
      // Speech: a slow stream, aborted after its first chunk. Transcript: a body trickled at 4 bytes/s,
      // aborted once its headers are in.
      name: 'client abort during the stream',
      fault: tts ? 'rate=3000' : 'rate=4',
      proxy: 'normal',
      abort: 'during-stream',
      expected: { code: 'aborted', retryable: false, status: undefined, phase: tts ? 'stream' : 'request' },
    },
  )
  return cells
}

let speech: SpeechServer
let custom: CustomUpstream
let front: ProxyFront
const events: SpeechServerEvent[] = []
/** Request-body bytes the proxies have passed on to the speech server. */
let forwarded = 0

const countingFetch = (input: string, init: RequestInit) => {
  const body = init.body
  if (body instanceof ReadableStream) {
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        forwarded += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    return fetch(input, { ...init, body: body.pipeThrough(counter) } as RequestInit)
  }
  return fetch(input, init)
}

function providersAt(url: string): VoiceProxyOptions['providers'] {
  return Object.fromEntries(speechProviders.map(({ id, base }) => [id, { apiKey: KEY, baseUrl: `${url}${base}` }]))
}

beforeAll(async () => {
  speech = await startSpeechServer({ port: 0, faults: true, apiKey: KEY, onEvent: (event) => events.push(event) })
  custom = await startCustomUpstream(KEY)
  const proxy = (basePath: string, url: string, timeoutMs: number): VoiceProxyOptions => ({
    basePath,
    providers: providersAt(url),
    timeoutMs,
    forwardHeaders: ['x-speech-fault'],
    fetch: countingFetch,
  })
  const timeouts = { normal: 10_000, slow: SLOW_PROXY_MS, stall: STALL_PROXY_MS }
  front = await startProxies(
    (['speech', 'custom'] as const).flatMap((upstream) =>
      Object.entries(timeouts).map(([name, ms]) =>
        proxy(`/${upstream}-${name}`, upstream === 'speech' ? speech.url : custom.url, ms),
      ),
    ),
  )
})

afterAll(async () => {
  await front?.close()
  await custom?.close()
  await speech?.close()
})

function transportFor(
  op: Op,
  baseUrl: string,
  headers: Record<string, string>,
  timeoutMs: number,
  fetcher: typeof fetch,
) {
  return op.create({ baseUrl: `${baseUrl}/${op.provider}`, headers, timeoutMs, fetch: fetcher })
}

interface Outcome {
  phase: 'request' | 'stream' | 'none'
  error?: VoiceError
  foreign?: unknown
  bytes?: number
  /** Request-body bytes forwarded upstream when a during-upload abort fired. */
  forwardedAtAbort?: number
  /** Upstream requests still open when the operation settled. */
  openAtSettle?: number
  requestsReachingUpstream: number
}

const upstreamRequests = () => events.filter((event) => event.type === 'request').length + custom.requests

async function exercise(op: Op, cell: Cell): Promise<Outcome> {
  const upstream = op.upstream
  const basePath = `/${upstream}-${cell.proxy}`
  const controller = new AbortController()
  let headersIn = false
  const clientFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    headersIn = true
    return response
  }
  const headers: Record<string, string> = cell.fault ? { 'x-speech-fault': cell.fault } : {}
  const transport = transportFor(op, `${front.url}${basePath}`, headers, cell.clientTimeoutMs ?? 10_000, clientFetch)
  const eventsBefore = events.length
  const requestsBefore = upstreamRequests()
  const forwardedBefore = forwarded
  const customBefore = custom.requests
  // The speech server reports a request's faults once its headers are in, before it reads the body.
  const reachedUpstream = () =>
    upstream === 'speech'
      ? events.slice(eventsBefore).some((event) => event.type === 'fault')
      : custom.requests > customBefore

  if (cell.abort === 'before-upload') controller.abort()
  const { signal } = controller
  const audio = cell.bigUpload ? new Blob([wav(0, BIG_UPLOAD)], { type: 'audio/wav' }) : tinyWav()
  const pending: Promise<unknown> =
    op.kind === 'stt'
      ? transport.transcribe!(audio, { signal })
      : transport.speak!(SPOKEN, { signal, ...(cell.messageId ? { messageId: cell.messageId } : {}) })

  let forwardedAtAbort: number | undefined
  if (cell.abort === 'during-upload' || cell.abort === 'waiting') {
    await waitUntil(reachedUpstream, 5_000, 'the request to reach the upstream')
    await delay(cell.abort === 'during-upload' ? 300 : 100)
    forwardedAtAbort = forwarded - forwardedBefore
    controller.abort()
  } else if (cell.abort === 'during-stream' && op.kind === 'stt') {
    await waitUntil(() => headersIn, 5_000, 'the response headers')
    await delay(50)
    controller.abort()
  }

  const first = await settle(pending)
  const openAtSettle = speech.activeRequests() + custom.active()
  const requestsReachingUpstream = upstreamRequests() - requestsBefore
  if (!first.ok) {
    return 'voice' in first
      ? { phase: 'request', error: first.voice, forwardedAtAbort, openAtSettle, requestsReachingUpstream }
      : { phase: 'request', foreign: first.foreign, requestsReachingUpstream }
  }
  if (op.kind === 'stt') return { phase: 'none', requestsReachingUpstream }
  const stream = first.value as { body: ReadableStream<Uint8Array> }
  const read = await drain(stream.body, (index) => {
    if (cell.abort === 'during-stream' && index === 0) controller.abort()
  })
  if (read.error === undefined) return { phase: 'none', bytes: read.bytes, requestsReachingUpstream }
  const error = read.error as VoiceError
  return error?.name === 'VoiceError'
    ? { phase: 'stream', error, bytes: read.bytes, requestsReachingUpstream }
    : { phase: 'stream', foreign: read.error, bytes: read.bytes, requestsReachingUpstream }
}

for (const op of ops) {
  describe(`${op.provider} ${op.kind === 'stt' ? 'speech-to-text' : 'text-to-speech'}`, () => {
    test.each(cellsFor(op).map((cell) => [cell.name, cell] as const))('%s', async (_name, cell) => {
      const outcome = await deadline(exercise(op, cell), CELL_DEADLINE_MS, `${op.provider} ${op.kind} ${cell.name}`)
      expect(outcome.foreign, 'only VoiceErrors may escape').toBeUndefined()
      const { expected } = cell
      if (expected.code === 'ok') {
        expect(outcome.error).toBeUndefined()
        expect(outcome.phase).toBe('none')
        if (expected.bytes !== undefined) expect(outcome.bytes).toBe(expected.bytes)
      } else {
        expect(outcome.error, 'the operation must fail').toBeDefined()
        const error = outcome.error!
        expect({ code: error.code, retryable: error.retryable, status: error.status }).toEqual({
          code: expected.code,
          retryable: expected.retryable,
          status: expected.status,
        })
        expect(error.provider).toBe(op.provider)
        if (expected.phase) expect(outcome.phase).toBe(expected.phase)
        expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(KEY)
      }
      if (cell.abort === 'before-upload') expect(outcome.requestsReachingUpstream).toBe(0)
      if (cell.abort === 'during-upload') {
        // The proxy had passed on only part of the recording when the client gave up.
        expect(outcome.forwardedAtAbort).toBeLessThan(BIG_UPLOAD)
        // ...and the client's promise did not wait for the upstream to let go.
        expect(outcome.openAtSettle).toBeGreaterThan(0)
      }
      // Nothing left open: every upstream request has closed (a stalled or held one included).
      await waitUntil(
        () => speech.activeRequests() === 0 && custom.active() === 0,
        5_000,
        'every upstream request to close',
      )
    })
  })
}

describe('abort propagation (raw client that really closes its socket, as a browser does)', () => {
  async function uploadThenVanish(fault: string | undefined) {
    const { connect } = await import('node:net')
    const length = BIG_UPLOAD
    const socket = connect(Number(new URL(front.url).port), '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    const eventsBefore = events.length
    socket.write(
      'POST /speech-normal/dify/audio-to-text HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${length}\r\n` +
        (fault ? `x-speech-fault: ${fault}\r\n` : '') +
        '\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n',
    )
    socket.write(Buffer.alloc(1024 * 1024))
    await waitUntil(
      () => events.slice(eventsBefore).some((event) => event.type === 'request'),
      5_000,
      'the upstream request',
    )
    await delay(200)
    expect(speech.activeRequests()).toBe(1)
    socket.destroy()
    return eventsBefore
  }

  test('a client gone mid-upload while the provider reads: the provider request is aborted at once', async () => {
    const eventsBefore = await uploadThenVanish(undefined)
    await waitUntil(() => speech.activeRequests() === 0, 3_000, 'the upstream request to be aborted')
    expect(events.slice(eventsBefore)).toContainEqual(expect.objectContaining({ type: 'closed', finished: false }))
  })

  test('a client gone mid-upload while the provider is not reading: released once it reads again', async () => {
    const eventsBefore = await uploadThenVanish(`delay=${UPLOAD_HELD_MS}`)
    await waitUntil(() => speech.activeRequests() === 0, UPLOAD_HELD_MS + 3_000, 'the upstream request to end')
    expect(events.slice(eventsBefore)).toContainEqual(expect.objectContaining({ type: 'closed', finished: false }))
  })
})
