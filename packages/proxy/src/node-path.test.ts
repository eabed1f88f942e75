// The Node path's own behaviour, beside what proxy.test.ts checks on both paths: the request head
// `decide` gets without a Fetch Request (and the Request it becomes for the app's `user` resolver), and
// a keep-alive socket the provider closed while it sat idle, reused just as the close arrives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createVoiceProxy } from './handler'
import { toNodeListener } from './node'
import type { VoiceProxyOptions } from './options'
import { raw } from './test-support/client'

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/** The proxy on plain node:http, Node path (the default). */
async function front(options: VoiceProxyOptions): Promise<{ url: string; server: Server }> {
  const server = createServer(toNodeListener(createVoiceProxy(options)))
  return { url: await listen(server), server }
}

interface Arrival {
  /** Which request this was on its connection (1 = the first). */
  readonly onSocket: number
  readonly path: string
  readonly headers: IncomingMessage['headers']
  body: Buffer
  complete: boolean
  /** The connection was reset by this upstream while this request was arriving. */
  reset: boolean
}

/**
 * An upstream that keeps connections alive and, as `reuse` says, resets a connection when a request
 * arrives on it after the first one: what a client sees when it writes a request into a socket that the
 * server closed while it sat idle (the close and the request crossed on the wire). `after` bytes of the
 * request body are read first (0: as soon as the head arrives).
 */
async function closingUpstream(
  reuse: { reset: 'never' | 'reused' | 'every'; after?: number } = { reset: 'reused' },
): Promise<{
  url: string
  arrivals: Arrival[]
  set(mode: typeof reuse): void
  close(): Promise<void>
}> {
  let mode = reuse
  const arrivals: Arrival[] = []
  const counts = new WeakMap<Socket, number>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket
    const onSocket = (counts.get(socket) ?? 0) + 1
    counts.set(socket, onSocket)
    const arrival: Arrival = {
      onSocket,
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.alloc(0),
      complete: false,
      reset: false,
    }
    arrivals.push(arrival)
    const resets = mode.reset === 'every' || (mode.reset === 'reused' && onSocket > 1)
    const chunks: Buffer[] = []
    let received = 0
    const reset = () => {
      arrival.reset = true
      socket.resetAndDestroy()
    }
    if (resets && !mode.after) return reset()
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      received += chunk.length
      if (resets && mode.after && received >= mode.after && !arrival.reset) reset()
    })
    req.on('end', () => {
      arrival.body = Buffer.concat(chunks)
      arrival.complete = true
      if (arrival.reset) return
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ text: `received ${received}` }))
    })
    req.on('error', () => {})
  })
  const url = await listen(server)
  return {
    url,
    arrivals,
    set: (next) => {
      mode = next
    },
    close: () => close(server),
  }
}

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

describe('the request head decide gets on the Node path', () => {
  let upstream: Awaited<ReturnType<typeof closingUpstream>>
  beforeAll(async () => {
    upstream = await closingUpstream({ reset: 'never' })
  })
  afterAll(() => upstream.close())

  test('a user resolver gets what a Request gives: headers, url, method, signal, instanceof, the rest', async () => {
    const seen: Record<string, unknown>[] = []
    const { url, server } = await front({
      providers: { dify: { apiKey: 'sk-head', baseUrl: `${upstream.url}/v1` } },
      user: (request) => {
        seen.push({
          cookie: request.headers.get('cookie'),
          Cookie: request.headers.get('Cookie'),
          missing: request.headers.get('x-nothing'),
          has: request.headers.has('cookie'),
          names: [...request.headers.keys()].filter((name) => name === 'cookie' || name === 'content-type'),
          url: request.url,
          method: request.method,
          aborted: request.signal.aborted,
          isRequest: request instanceof Request,
          tag: Object.prototype.toString.call(request),
          mode: request.mode,
          cloneUrl: request.clone().url,
        })
        return 'u-1'
      },
    })
    try {
      const res = await raw(url, '/api/voice/dify/text-to-audio?x=1', {
        headers: { ...json({}).headers, cookie: 'session=abc', host: 'app.example' },
        body: JSON.stringify({ text: 'hi' }),
      })
      expect(res.status).toBe(200)
      expect(seen).toEqual([
        {
          cookie: 'session=abc',
          Cookie: 'session=abc',
          missing: null,
          has: true,
          names: ['content-type', 'cookie'],
          url: 'http://app.example/api/voice/dify/text-to-audio?x=1',
          method: 'POST',
          aborted: false,
          isRequest: true,
          tag: '[object Request]',
          mode: new Request('http://x/').mode,
          cloneUrl: 'http://app.example/api/voice/dify/text-to-audio?x=1',
        },
      ])
      // The resolver's user reached the provider, the browser's did not.
      expect(JSON.parse(upstream.arrivals.at(-1)?.body.toString() ?? '')).toEqual({ text: 'hi', user: 'u-1' })
    } finally {
      await close(server)
    }
  })

  test("the signal is an AbortSignal that aborts when the client goes away during the resolver's wait", async () => {
    const before = upstream.arrivals.length
    let signal: AbortSignal | undefined
    let aborted: (reason: unknown) => void = () => {}
    const abortedBy = new Promise<unknown>((resolve) => {
      aborted = resolve
    })
    const { url, server } = await front({
      providers: { dify: { apiKey: 'sk-head', baseUrl: `${upstream.url}/v1` } },
      user: async (request) => {
        signal = request.signal
        request.signal.addEventListener('abort', () => aborted(request.signal.reason), { once: true })
        await abortedBy
        return 'late'
      },
    })
    try {
      const client = raw(url, '/api/voice/dify/text-to-audio', json({ text: 'hi' }))
      await new Promise<void>((resolve) => {
        const check = () => (signal ? resolve() : setTimeout(check, 5))
        check()
      })
      expect(signal).toBeInstanceOf(AbortSignal)
      expect(signal?.aborted).toBe(false)
      // The client gives up: every connection to the proxy closed.
      server.closeAllConnections()
      await expect(client).rejects.toThrow()
      expect(await abortedBy).toBeInstanceOf(Error)
      expect(signal?.aborted).toBe(true)
      expect(upstream.arrivals.length).toBe(before)
    } finally {
      await close(server)
    }
  })

  test('a header name the Headers class refuses is refused the same way (the resolver throws: 401)', async () => {
    const { url, server } = await front({
      providers: { dify: { apiKey: 'sk-head', baseUrl: `${upstream.url}/v1` } },
      user: (request) => request.headers.get('not a name') ?? 'u',
    })
    try {
      const res = await raw(url, '/api/voice/dify/text-to-audio', json({ text: 'hi' }))
      expect(res.status).toBe(401)
    } finally {
      await close(server)
    }
  })

  test('a header sent twice reads as the Fetch path reads it', async () => {
    const seen: (string | null)[] = []
    const { url, server } = await front({
      providers: { dify: { apiKey: 'sk-head', baseUrl: `${upstream.url}/v1` } },
      user: (request) => {
        seen.push(request.headers.get('accept'), request.headers.get('cookie'))
        return 'u'
      },
    })
    try {
      const res = await raw(url, '/api/voice/dify/text-to-audio', {
        headers: { ...json({}).headers, accept: ['audio/mpeg', 'audio/*'], cookie: ['a=1', 'b=2'] },
        body: JSON.stringify({ text: 'hi' }),
      })
      expect(res.status).toBe(200)
      expect(seen).toEqual(['audio/mpeg, audio/*', 'a=1; b=2'])
      expect(upstream.arrivals.at(-1)?.headers.accept).toBe('audio/mpeg, audio/*')
    } finally {
      await close(server)
    }
  })
})

describe('a keep-alive socket the provider closed, reused as the close arrives (ECONNRESET)', () => {
  let upstream: Awaited<ReturnType<typeof closingUpstream>>
  let proxy: { url: string; server: Server }
  beforeAll(async () => {
    upstream = await closingUpstream()
    proxy = await front({
      providers: { dify: { apiKey: 'sk-reuse', baseUrl: `${upstream.url}/v1`, maxUploadBytes: 8 * 1024 * 1024 } },
    })
  })
  afterAll(async () => {
    await close(proxy.server)
    await upstream.close()
  })
  afterEach(() => upstream.set({ reset: 'reused' }))

  /** Requests until one of them met a reset socket (the first opens the connection the next reuses). */
  async function untilReset(send: () => Promise<{ status: number; text: string }>) {
    const since = upstream.arrivals.length
    const met = () => upstream.arrivals.slice(since).some((a) => a.reset)
    const answers: { status: number; text: string }[] = []
    for (let i = 0; i < 5 && !met(); i++) answers.push(await send())
    expect(met()).toBe(true)
    return answers
  }

  test('a speech request is sent again on a new connection, once, and answered', async () => {
    const before = upstream.arrivals.length
    const answers = await untilReset(() => raw(proxy.url, '/api/voice/dify/text-to-audio', json({ text: 'again' })))
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
    const arrivals = upstream.arrivals.slice(before)
    const reset = arrivals.findIndex((a) => a.reset)
    // The reset request, then the same request again, whole, as the first on a new connection.
    expect(arrivals[reset]?.onSocket).toBeGreaterThan(1)
    expect(arrivals[reset + 1]).toMatchObject({ onSocket: 1, complete: true, reset: false, path: '/v1/text-to-audio' })
    expect(JSON.parse(arrivals[reset + 1]?.body.toString() ?? '')).toEqual({ text: 'again' })
    expect(arrivals[reset + 1]?.headers.authorization).toBe('Bearer sk-reuse')
  })

  test('an upload whose first part went out on the reset socket is sent again byte for byte', async () => {
    const body = Buffer.alloc(96 * 1024, 7)
    upstream.set({ reset: 'reused', after: 32 * 1024 })
    const before = upstream.arrivals.length
    const answers = await untilReset(() =>
      raw(proxy.url, '/api/voice/dify/audio-to-text', { headers: { 'content-type': 'audio/wav' }, body }),
    )
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
    const arrivals = upstream.arrivals.slice(before)
    const again = arrivals[arrivals.findIndex((a) => a.reset) + 1]
    expect(again).toMatchObject({ onSocket: 1, complete: true, reset: false })
    expect(again?.body.equals(body)).toBe(true)
    expect(again?.headers['content-length']).toBe(String(body.length))
  })

  test('an upload too large to have been kept is not sent again: 502, and no provider gets part of it', async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 9)
    upstream.set({ reset: 'reused', after: 1024 * 1024 })
    const before = upstream.arrivals.length
    const answers = await untilReset(() =>
      raw(proxy.url, '/api/voice/dify/audio-to-text', { headers: { 'content-type': 'audio/wav' }, body }),
    )
    expect(answers.at(-1)?.status).toBe(502)
    expect(JSON.parse(answers.at(-1)?.text ?? '{}').message).toMatch(/ECONNRESET|EPIPE/)
    const arrivals = upstream.arrivals.slice(before)
    const reset = arrivals.findIndex((a) => a.reset)
    // Nothing after the reset request: it was not sent again.
    expect(arrivals.slice(reset + 1)).toEqual([])
    // And the next request goes through on a new connection.
    upstream.set({ reset: 'never' })
    expect((await raw(proxy.url, '/api/voice/dify/text-to-audio', json({ text: 'next' }))).status).toBe(200)
  })

  test('sent again once only: a new connection reset as well is a 502', async () => {
    // Warm a connection to reuse, then reset everything.
    upstream.set({ reset: 'never' })
    expect((await raw(proxy.url, '/api/voice/dify/text-to-audio', json({ text: 'warm' }))).status).toBe(200)
    upstream.set({ reset: 'every' })
    const before = upstream.arrivals.length
    const res = await raw(proxy.url, '/api/voice/dify/text-to-audio', json({ text: 'twice' }))
    expect(res.status).toBe(502)
    const arrivals = upstream.arrivals.slice(before)
    expect(arrivals.map((a) => [a.onSocket > 1, a.reset])).toEqual([
      [true, true],
      [false, true],
    ])
  })
})
