// Attacks on the proxy over real sockets, written byte for byte (fetch and node:http would normalise
// most of them away): path and encoding tricks, request smuggling, oversize and slow uploads, foreign
// origins, odd methods. None may reach the recording upstream, and the key appears in no response.
// (The proxy's own suite covers the basic tricks; these go further.)
import { providerDescriptors } from '@voicekit/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FakeUpstream, hold, startUpstream } from '../../packages/proxy/src/test-support/upstream'
import { delay, type ProxyFront, type RawExchange, rawExchange, startProxies, waitUntil } from './support.ts'

const KEY = 'sk-proxy-attack-KEYCANARY-c41b7e'
const ALLOWED = 'https://app.example'
const CAP = 64 * 1024
const PROXY_TIMEOUT_MS = 800
/** The node:http bounds on the server the proxy is mounted on (Node's defaults: 60 s and 300 s). */
const HEADERS_TIMEOUT_MS = 1_000
const REQUEST_TIMEOUT_MS = 2_500
const CHECK_INTERVAL_MS = 100

// Every attack runs against both of the proxy's paths on Node: its own sockets, and the Fetch path.
describe.each(['node', 'fetch'] as const)('on the %s path', (io) => {
  let upstream: FakeUpstream
  let front: ProxyFront
  let port: number

  beforeAll(async () => {
    upstream = await startUpstream()
    // Every built-in provider, from its descriptor.
    const providers = Object.fromEntries(
      Object.values(providerDescriptors).map(({ id }) => [id, { apiKey: KEY, baseUrl: `${upstream.url}/${id}` }]),
    )
    // The Fetch path is what a handler with an app-given fetch takes; otherwise toNodeListener runs the Node path.
    const fetchPath =
      io === 'fetch' ? { fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) } : {}
    front = await startProxies(
      [
        { ...fetchPath, providers, allowedOrigins: [ALLOWED], maxUploadBytes: CAP, timeoutMs: PROXY_TIMEOUT_MS },
        // The default origin policy (the host the browser addressed), without and with a trusted reverse proxy.
        { ...fetchPath, providers, basePath: '/same-host', timeoutMs: PROXY_TIMEOUT_MS },
        { ...fetchPath, providers, basePath: '/behind', trustForwardedHeaders: true, timeoutMs: PROXY_TIMEOUT_MS },
      ],
      {
        headersTimeout: HEADERS_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: CHECK_INTERVAL_MS,
      },
    )
    port = Number(new URL(front.url).port)
  })

  afterAll(async () => {
    await front?.close()
    await upstream?.close()
  })

  const ROUTE = '/api/voice/dify/audio-to-text'
  // (Built when the test cases are collected, before the port is known: the Host carries none.)
  const head = (requestLine: string, headers: string[]) =>
    `${requestLine}\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`
  const post = (path: string, headers: string[] = [], body = '{}') =>
    head(`POST ${path} HTTP/1.1`, ['Content-Type: application/json', `Content-Length: ${body.length}`, ...headers]) +
    body

  /** Runs the exchange and returns it with the upstream requests it caused. */
  async function exchange(pieces: Parameters<typeof rawExchange>[1], readMs = 2_000, idleMs: number | undefined = 100) {
    const before = upstream.requests.length
    const answer = await rawExchange(front.url, pieces, readMs, idleMs)
    await delay(50) // a stray forwarded request would land by now
    expect(answer.text, 'the key leaked into a response').not.toContain(KEY)
    return { answer, reached: upstream.requests.slice(before) }
  }

  /** Refused by the proxy (400/404/405/413...) or by Node's parser (400 and closed): never a 2xx. */
  function expectRefused(answer: RawExchange, allowed: number[]) {
    for (const status of answer.statuses) expect(allowed, answer.text.slice(0, 300)).toContain(status)
    if (answer.statuses.length === 0) expect(answer.closedByServer).toBe(true)
  }

  describe('path and encoding tricks', () => {
    const tricks = [
      '/api/voice/dify/%c0%ae%c0%ae/audio-to-text',
      '/api/voice/dify/%C0%AE%C0%AE/dify/audio-to-text',
      '/api/voice/dify/audio-to-text%c0%af',
      '/api/voice/dify/%e0%80%ae%e0%80%ae/audio-to-text',
      '/api/voice/%2E%2e/voice/dify/audio-to-text',
      '/api/voice/dify/%2E%2E/openai/audio/speech',
      '/api/voice/dify/%2e./audio-to-text',
      '/api/voice/dify/audio-to-text;x=1',
      '/api/voice/dify;v=1/audio-to-text',
      '/api/voice/dify/audio-to-text;',
      '/api/voice/dify/..;/openai/audio/speech',
      '/api/voice/dify\\audio-to-text',
      '/api/voice\\dify\\audio-to-text',
      '/api/voice/dify/..\\..\\admin',
      '/api/voice/dify/%5c../audio-to-text',
      '/api/voice/dify/@evil.example/audio-to-text',
      '/api/voice/dify@evil.example/audio-to-text',
      '//user@evil.example/api/voice/dify/audio-to-text',
      'http://user:pass@evil.example/api/voice/dify/audio-to-text',
      `http://127.0.0.1:1@evil.example${ROUTE}`,
      '/api/voice/dify/audio-to-text%0d%0aX-Injected:%201',
      '/api/voice/dify/audio-to-text%0D%0AHost:%20evil.example',
      '/api/voice/dify/audio-to-text%00.json',
      '/api/voice/dify/audio%2Dto%2Dtext',
      '/api/voice/dify/AUDIO-TO-TEXT',
      '/api/voice/Dify/audio-to-text',
      '/api/voice/dify/audio-to-text%20',
      '/api/voice/dify/%EF%BC%8E%EF%BC%8E/audio-to-text',
      '/api/voice/dify/audio-to-text#fragment',
      '/api/voice/./dify/audio-to-text',
      '/api/voice/dify/audio-to-text/..',
      '/api/voice/dify/audio-to-text/.',
      '/api/voice/hasOwnProperty/audio-to-text',
      '/api/voice/dify/__proto__',
      '*',
    ]
    test.each(tricks)('%s', async (path) => {
      const { answer, reached } = await exchange([post(path)])
      expect(reached).toEqual([])
      expectRefused(answer, [400, 404])
    })

    test.each([
      ['raw CR LF in the path', `POST ${ROUTE}\r\nX-Injected: 1 HTTP/1.1`],
      ['raw LF in the path', `POST ${ROUTE}\nHost: evil.example HTTP/1.1`],
      ['a space in the path', `POST ${ROUTE} x HTTP/1.1`],
      ['a tab in the path', `POST ${ROUTE}\t HTTP/1.1`],
      ['a NUL in the path', `POST ${ROUTE}\u0000 HTTP/1.1`],
      ['raw non-ASCII bytes', `POST /api/voice/dify/\u00c0\u00ae\u00c0\u00ae/audio-to-text HTTP/1.1`],
      ['HTTP/0.9', `POST ${ROUTE}`],
      ['HTTP/2.0 in an HTTP/1 request line', `POST ${ROUTE} HTTP/2.0`],
    ])('%s: refused, or at most the exact route with nothing injected', async (_name, requestLine) => {
      // Node's parser takes a request line without a version as HTTP/0.9 and reads the next line as a
      // header: `X-Injected` is then just a header, which the proxy's allowlist never forwards.
      const { answer, reached } = await exchange([
        Buffer.from(`${requestLine}\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}`, 'latin1'),
      ])
      expect(reached.length).toBeLessThanOrEqual(1)
      for (const request of reached) {
        expect(request.path).toBe('/dify/audio-to-text')
        expect(request.headers['x-injected']).toBeUndefined()
        expect(request.headers.host).toBe(new URL(upstream.url).host)
      }
      if (reached.length === 0) expectRefused(answer, [400, 404, 505])
    })
  })

  describe('query strings', () => {
    // Accepted (Next.js appends its catch-all's `?path=...`), ignored, and never forwarded: the provider
    // sees the bare endpoint path whatever the client wrote after `?`.
    const queries = [
      '?',
      '?x',
      '?path=dify&path=audio-to-text',
      '?user=mallory',
      '?redirect=http://evil.example/&url=//evil.example',
      '?a=%0d%0aX-Injected:%201',
      '?%0d%0aHost:%20evil.example=1',
      '?__proto__[admin]=1&constructor=x',
      '?a=%zz%',
      '?../../admin',
      `?q=${'x'.repeat(4000)}`,
      '?;/openai/audio/speech',
    ]
    test.each(queries)('%s: forwarded to the bare endpoint, the query left behind', async (query) => {
      const { answer, reached } = await exchange([post(`${ROUTE}${query}`)])
      expect(answer.statuses).toEqual([200])
      expect(reached).toHaveLength(1)
      expect(reached[0]!.path).toBe('/dify/audio-to-text')
      expect(reached[0]!.headers['x-injected']).toBeUndefined()
      expect(reached[0]!.headers.host).toBe(new URL(upstream.url).host)
    })
  })

  describe('request smuggling', () => {
    const smuggled = post('/api/voice/openai/audio/speech')
    const cases: [string, string][] = [
      ['two equal Content-Length headers', head(`POST ${ROUTE} HTTP/1.1`, ['Content-Length: 2', 'Content-Length: 2'])],
      [
        'two different Content-Length headers',
        head(`POST ${ROUTE} HTTP/1.1`, ['Content-Length: 2', `Content-Length: ${2 + smuggled.length}`]),
      ],
      ['Content-Length: 2, 2', head(`POST ${ROUTE} HTTP/1.1`, ['Content-Length: 2, 2'])],
      ['Content-Length: +2', head(`POST ${ROUTE} HTTP/1.1`, ['Content-Length: +2'])],
      ['Content-Length: 0x2', head(`POST ${ROUTE} HTTP/1.1`, ['Content-Length: 0x2'])],
      [
        'Content-Length and Transfer-Encoding: chunked',
        head(`POST ${ROUTE} HTTP/1.1`, ['Content-Length: 5', 'Transfer-Encoding: chunked']),
      ],
      [
        'Transfer-Encoding: chunked, identity',
        head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding: chunked, identity', 'Content-Length: 5']),
      ],
      ['Transfer-Encoding: chunked, chunked', head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding: chunked, chunked'])],
      [
        'two Transfer-Encoding headers',
        head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding: chunked', 'Transfer-Encoding: identity']),
      ],
      ['Transfer-Encoding: xchunked', head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding: xchunked'])],
      [
        'Transfer-Encoding: chunkedx',
        head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding: chunkedx', 'Content-Length: 5']),
      ],
      [
        'Transfer-Encoding with a space before the colon',
        head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding : chunked']),
      ],
      ['Transfer-Encoding with a vertical tab', head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding: \u000bchunked'])],
      ['Transfer-Encoding folded (obs-fold)', head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding:', ' chunked'])],
      ['an obs-folded Content-Length', head(`POST ${ROUTE} HTTP/1.1`, ['Content-Length: 2', ' 5'])],
      ['a bare LF line ending', `POST ${ROUTE} HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n`],
      ['a header name with a space', head(`POST ${ROUTE} HTTP/1.1`, ['Content Length: 2'])],
    ]
    test.each(cases)('%s: refused, the hidden request never reaches the provider', async (_name, request) => {
      const body = '0\r\n\r\n'
      const { answer, reached } = await exchange([Buffer.from(request + body + smuggled, 'latin1')])
      expect(reached).toEqual([])
      expectRefused(answer, [400])
    })

    test.each(['xchunked', 'chunked, identity', 'identity'])(
      'Transfer-Encoding: %s with the body sent later: refused before the provider is contacted',
      async (encoding) => {
        const request = head(`POST ${ROUTE} HTTP/1.1`, [`Transfer-Encoding: ${encoding}`])
        const { answer, reached } = await exchange([request, { wait: 300 }, `0\r\n\r\n${smuggled}`])
        expect(reached).toEqual([])
        expectRefused(answer, [400])
      },
    )

    test('a chunk size that overflows is refused', async () => {
      const request = head(`POST ${ROUTE} HTTP/1.1`, ['Transfer-Encoding: chunked'])
      const { answer } = await exchange([`${request}fffffffffffffffff1\r\nab\r\n0\r\n\r\n`])
      expectRefused(answer, [400, 413])
      // Whatever reached the provider was aborted: it never received a complete body.
      await waitUntil(() => upstream.requests.every((r) => r.complete || r.aborted), 3_000, 'upstream requests to end')
    })

    test('a well-formed chunked upload followed by a pipelined request: each is its own request', async () => {
      // The control case: what is not ambiguous is forwarded as exactly what it is, one request each.
      const before = upstream.requests.length
      const first = `${head(`POST ${ROUTE} HTTP/1.1`, ['Content-Type: application/json', 'Transfer-Encoding: chunked'])}2\r\n{}\r\n0\r\n\r\n`
      const { answer } = await exchange([first + post('/api/voice/openai/audio/speech')])
      expect(answer.statuses).toEqual([200, 200])
      expect(upstream.requests.slice(before).map((r) => [r.path, r.bytes])).toEqual([
        ['/dify/audio-to-text', 2],
        ['/openai/audio/speech', 2],
      ])
    })
  })

  describe('oversize bodies', () => {
    test('a declared Content-Length over the cap: 413 at once, the provider never contacted', async () => {
      const request = head(`POST ${ROUTE} HTTP/1.1`, ['Content-Type: audio/wav', `Content-Length: ${CAP + 1}`])
      const { answer, reached } = await exchange([request, Buffer.alloc(1024)])
      expect(reached).toEqual([])
      expect(answer.statuses[0]).toBe(413)
      expect(answer.text.toLowerCase()).toContain('x-voicekit-error: audio_too_large')
    })

    test('a Content-Length of 10^15 and one of 10^16: refused before a byte is read', async () => {
      for (const length of ['999999999999999', '9999999999999999', '99999999999999999999']) {
        const request = head(`POST ${ROUTE} HTTP/1.1`, ['Content-Type: audio/wav', `Content-Length: ${length}`])
        const { answer, reached } = await exchange([request])
        expect(reached).toEqual([])
        expectRefused(answer, [400, 413])
      }
    })

    test('a chunked upload that grows past the cap: cut off, the provider gets at most the cap and is aborted', async () => {
      const request = head(`POST ${ROUTE} HTTP/1.1`, ['Content-Type: audio/wav', 'Transfer-Encoding: chunked'])
      const chunk = `${(16 * 1024).toString(16)}\r\n${'a'.repeat(16 * 1024)}\r\n`
      const pieces = [request, ...Array.from({ length: 12 }, () => chunk), '0\r\n\r\n']
      upstream.respondNext(hold)
      const { answer, reached } = await exchange(pieces, 3_000)
      expect(reached).toHaveLength(1)
      const [seen] = reached
      await waitUntil(() => seen!.aborted || seen!.complete, 3_000, 'the upstream request to end')
      expect(seen!.complete).toBe(false)
      expect(seen!.bytes).toBeLessThanOrEqual(CAP)
      if (answer.statuses.length > 0) expect(answer.statuses[0]).toBe(413)
    })
  })

  describe('slow loris', () => {
    test(`an upload that goes silent: cut after the proxy's timeoutMs (${PROXY_TIMEOUT_MS} ms), provider aborted`, async () => {
      const request = head(`POST ${ROUTE} HTTP/1.1`, ['Content-Type: audio/wav', 'Content-Length: 1000'])
      upstream.respondNext(hold)
      // The upload never goes on (its next piece would come after the read ends): an answer can only be the
      // proxy's silence deadline. The read's limit only ends a hang.
      const { answer, reached } = await exchange([request, 'RIFF', { wait: 30_000 }], 15_000, 500)
      // 504 from the proxy; Node's requestTimeout may add its 408 on the same connection afterwards.
      expect(answer.statuses[0]).toBe(504)
      expect(answer.text.toLowerCase()).toContain('x-voicekit-error: timeout')
      expect(reached).toHaveLength(1)
      await waitUntil(() => reached[0]!.aborted, 10_000, 'the upstream request to be aborted')
    })

    test(`an upload trickled faster than the silence limit: ended by the server's requestTimeout (${REQUEST_TIMEOUT_MS} ms)`, async () => {
      const request = head(`POST ${ROUTE} HTTP/1.1`, ['Content-Type: audio/wav', 'Content-Length: 60000'])
      const trickle = Array.from({ length: 100 }, () => ['x', { wait: 200 }]).flat()
      upstream.respondNext(hold)
      // The trickle would last 20 s and its body is never whole: an answer or a close before the read's end is
      // the server ending it (the exchange stops reading 100 ms after an answer, so a close may come unseen).
      const { answer, reached } = await exchange([request, ...trickle], 15_000, undefined)
      // Never silent for timeoutMs, so the proxy alone would wait as long as bytes keep coming: the
      // total is bounded by the HTTP server hosting it (Node's requestTimeout, 300 s by default).
      expect(answer.closedByServer || answer.statuses.length > 0).toBe(true)
      for (const status of answer.statuses) expect([408, 504]).toContain(status)
      for (const request of reached) {
        await waitUntil(() => request.aborted || request.complete, 10_000, 'the upstream request to end')
        expect(request.complete).toBe(false)
      }
    })

    test(`headers trickled one byte at a time: ended by the server's headersTimeout (${HEADERS_TIMEOUT_MS} ms)`, async () => {
      const request = post(ROUTE)
      const trickle = [...request].flatMap((byte) => [byte, { wait: 100 }])
      // The trickle outlasts the read and its headers are never whole: an answer or a close before the read's
      // end is the server ending it.
      expect(trickle.length / 2).toBeGreaterThan(100)
      const { answer, reached } = await exchange(trickle, 10_000, undefined)
      expect(reached).toEqual([])
      expect(answer.closedByServer || answer.statuses.length > 0).toBe(true)
      expectRefused(answer, [408, 400])
    })
  })

  describe('origins', () => {
    const foreign = [
      'https://evil.example',
      'null',
      'https://app.example.evil.example',
      'https://app.example@evil.example',
      'http://app.example',
      'https://app.example:8443',
      'file://',
      'https://evil.example, https://app.example',
      '',
    ]
    test.each(foreign)('Origin: %s is refused with 403, nothing forwarded', async (origin) => {
      const { answer, reached } = await exchange([post(ROUTE, [`Origin: ${origin}`])])
      expect(reached).toEqual([])
      expectRefused(answer, [403])
      expect(answer.text.toLowerCase()).not.toContain('access-control-allow-origin')
    })

    test('two Origin headers, one of them allowed: refused', async () => {
      const { answer, reached } = await exchange([post(ROUTE, [`Origin: ${ALLOWED}`, 'Origin: https://evil.example'])])
      expect(reached).toEqual([])
      expectRefused(answer, [403])
    })

    test('a foreign preflight is refused, and grants nothing', async () => {
      const request = head(`OPTIONS ${ROUTE} HTTP/1.1`, [
        'Origin: https://evil.example',
        'Access-Control-Request-Method: POST',
      ])
      const { answer, reached } = await exchange([request])
      expect(reached).toEqual([])
      expect(answer.statuses).toEqual([403])
      expect(answer.text.toLowerCase()).not.toContain('access-control-allow')
    })

    test('no Origin at all (server to server, curl) is forwarded: the check stops other sites, it is not auth', async () => {
      const { answer, reached } = await exchange([post(ROUTE)])
      expect(answer.statuses).toEqual([200])
      expect(reached).toHaveLength(1)
      expect(reached[0]!.headers.authorization).toBe(`Bearer ${KEY}`)
    })
  })

  describe('the host the browser addressed (default origin policy)', () => {
    const at = (base: string, host: string, headers: string[]) =>
      `${`POST ${base}/dify/audio-to-text HTTP/1.1\r\nHost: ${host}\r\n`}${[
        'Content-Type: application/json',
        'Content-Length: 2',
        ...headers,
      ]
        .map((h) => `${h}\r\n`)
        .join('')}\r\n{}`

    test.each([
      ['the Host header', '127.0.0.1:3100', ['Origin: http://127.0.0.1:3100']],
      ['a public host, TLS ended in front', 'app.example.com', ['Origin: https://app.example.com']],
    ])('a page on %s is forwarded', async (_name, host, headers) => {
      const { answer, reached } = await exchange([at('/same-host', host, headers)])
      expect(answer.statuses).toEqual([200])
      expect(reached).toHaveLength(1)
    })

    test.each([
      ['a foreign origin', '127.0.0.1:3100', ['Origin: https://evil.example']],
      ['another port', '127.0.0.1:3100', ['Origin: http://127.0.0.1:3101']],
      [
        'X-Forwarded-Host naming the page, not trusted by default',
        '127.0.0.1:3100',
        ['Origin: https://evil.example', 'X-Forwarded-Host: evil.example', 'X-Forwarded-Proto: https'],
      ],
      ['a Host header that is not a host', 'evil.example/x', ['Origin: http://evil.example']],
    ])('%s: 403, nothing forwarded', async (_name, host, headers) => {
      const { answer, reached } = await exchange([at('/same-host', host, headers)])
      expect(reached).toEqual([])
      expectRefused(answer, [403, 400])
    })

    test('behind a trusted reverse proxy, X-Forwarded-Host and -Proto decide', async () => {
      const forwarded = ['X-Forwarded-Host: app.example.com', 'X-Forwarded-Proto: https']
      const page = await exchange([at('/behind', '10.0.0.7:8080', ['Origin: https://app.example.com', ...forwarded])])
      expect(page.answer.statuses).toEqual([200])
      expect(page.reached).toHaveLength(1)
      for (const origin of ['https://evil.example', 'http://app.example.com', 'http://10.0.0.7:8080']) {
        const refused = await exchange([at('/behind', '10.0.0.7:8080', [`Origin: ${origin}`, ...forwarded])])
        expect(refused.answer.statuses).toEqual([403])
        expect(refused.reached).toEqual([])
      }
    })
  })

  describe('methods other than POST', () => {
    test.each(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'PROPFIND', 'SEARCH', 'QUERY', 'PURGE'])(
      '%s: 405, nothing forwarded',
      async (method) => {
        const { answer, reached } = await exchange([
          `${head(`${method} ${ROUTE} HTTP/1.1`, ['Content-Type: application/json', 'Content-Length: 2'])}{}`,
        ])
        expect(reached).toEqual([])
        expectRefused(answer, [405, 400])
      },
    )

    test.each([
      ['CONNECT to a host', 'CONNECT evil.example:443 HTTP/1.1'],
      ['CONNECT to the route', `CONNECT 127.0.0.1:${0} HTTP/1.1`],
      ['lowercase post', `post ${ROUTE} HTTP/1.1`],
      ['Post', `Post ${ROUTE} HTTP/1.1`],
      ['an unknown method', `BREW ${ROUTE} HTTP/1.1`],
    ])('%s: never forwarded', async (_name, requestLine) => {
      const line = requestLine.replace(':0 ', `:${port} `)
      const { answer, reached } = await exchange([
        `${line}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      ])
      expect(reached).toEqual([])
      expectRefused(answer, [400, 404, 405])
    })

    test('OPTIONS without an Origin is answered by the proxy itself', async () => {
      const { answer, reached } = await exchange([head(`OPTIONS ${ROUTE} HTTP/1.1`, [])])
      expect(reached).toEqual([])
      expect(answer.statuses).toEqual([204])
    })
  })

  describe('what reached the provider', () => {
    // Every answer above was scanned for the key. Here: all the provider ever saw, over the whole file,
    // was POSTs to allowlisted endpoints (the control cases and cut-off uploads), never anything else.
    test('only POSTs to allowlisted endpoints, each with the server key', () => {
      const allowlisted = ['/dify/audio-to-text', '/openai/audio/speech']
      for (const request of upstream.requests) {
        expect(request.method).toBe('POST')
        expect(allowlisted).toContain(request.path)
        expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
      }
    })
  })
})

// Real-time sockets, attacked byte for byte at the relay's handshake (toUpgradeListener on node:http,
// beside toNodeListener, as an Express or node:http app mounts them). Nothing refused may open so much as a
// TCP connection to the provider; what does reach it is only the allowlisted socket, with the server's key.
// (Appended: the relay's modules are loaded here rather than imported at the top of the file.)
describe('real-time sockets: the handshake', () => {
  type SocketUpstream = import('../../packages/proxy/src/test-support/realtime-upstream').SocketUpstream
  let upstream: SocketUpstream
  let url: string
  let close: () => Promise<void>

  beforeAll(async () => {
    const [{ createServer }, { createVoiceProxy, toNodeListener, toUpgradeListener }, { startSocketUpstream }] =
      await Promise.all([
        import('node:http'),
        import('../../packages/proxy/src/index'),
        import('../../packages/proxy/src/test-support/realtime-upstream'),
      ])
    upstream = await startSocketUpstream()
    const handler = createVoiceProxy({
      providers: {
        openai: { apiKey: KEY, baseUrl: `${upstream.url}/openai` },
        elevenlabs: { apiKey: KEY, baseUrl: `${upstream.url}/elevenlabs` },
      },
      allowedOrigins: [ALLOWED],
    })
    const listener = toNodeListener(handler)
    const relay = toUpgradeListener(handler)
    const server = createServer((req, res) => listener(req, res))
    server.on('upgrade', (req, socket, head) => relay(req, socket, head, () => socket.destroy()))
    url = await new Promise<string>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number }
        resolve(`http://127.0.0.1:${address.port}`)
      }),
    )
    close = async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await upstream.close()
    }
  })

  afterAll(() => close?.())

  const KEY_HEADER = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='
  const handshake = (requestLine: string, headers: string[] = [`Origin: ${ALLOWED}`]) =>
    `${requestLine}\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${KEY_HEADER}\r\nSec-WebSocket-Version: 13\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`

  /** Runs the raw handshake; the answer never carries the key. */
  async function shake(bytes: string, readMs = 1_000) {
    const before = upstream.connections()
    const sessions = upstream.sessions.length
    const answer = await rawExchange(url, [bytes], readMs, 100)
    await delay(50) // a stray upstream connection would land by now
    expect(answer.text, 'the key leaked into a response').not.toContain(KEY)
    return { answer, connected: upstream.connections() - before, sessions: upstream.sessions.slice(sessions) }
  }

  test('path tricks on a socket route: refused, the provider never contacted', async () => {
    for (const path of [
      '/api/voice/openai/realtime/../realtime',
      '/api/voice/openai/%2e%2e/openai/realtime',
      '/api/voice/openai%2frealtime',
      '/api/voice/openai/Realtime',
      '/api/voice/openai/realtime%00',
      '/api/voice/openai/./realtime',
      '/api/voice//openai/realtime',
      '/api/voice/openai/realtime/client_secrets',
      '/api/voice/openai/audio/transcriptions',
      'http://evil.example/api/voice/openai/realtime',
      '//evil.example/api/voice/openai/realtime',
    ]) {
      const { answer, connected } = await shake(handshake(`GET ${path} HTTP/1.1`))
      expect(connected, path).toBe(0)
      expect(answer.text, path).not.toContain(' 101 ')
      expectRefused(answer, [400, 404])
    }
  })

  test('a foreign, doubled, null or lookalike Origin: 403 before any connection to the provider', async () => {
    for (const origin of [
      ['Origin: https://evil.example'],
      [`Origin: ${ALLOWED}`, 'Origin: https://evil.example'],
      ['Origin: null'],
      [`Origin: ${ALLOWED}.evil.example`],
      [`Origin: ${ALLOWED.replace('https', 'http')}`],
    ]) {
      const { answer, connected } = await shake(handshake('GET /api/voice/openai/realtime HTTP/1.1', origin))
      expect(connected, origin.join(' ')).toBe(0)
      expect(answer.statuses, origin.join(' ')).toEqual([403])
    }
  })

  test("query smuggling: the server's intent wins; a repeated or encoded value is refused before the provider", async () => {
    const smuggled = await shake(
      handshake(
        'GET /api/voice/openai/realtime?intent=conversation&intent=transcription&model=gpt-realtime&%69ntent=x HTTP/1.1',
      ),
    )
    expect(smuggled.answer.statuses).toEqual([101])
    expect(smuggled.sessions.map((session) => session.url)).toEqual(['/openai/realtime?intent=transcription'])
    for (const query of [
      'language_code=en%26token%3Dx',
      'language_code=en&language_code=de',
      'model_id=scribe%0d%0ax-evil:1',
      'audio_format=pcm_16000%23frag',
    ]) {
      const { answer, connected } = await shake(
        handshake(`GET /api/voice/elevenlabs/v1/speech-to-text/realtime?${query} HTTP/1.1`),
      )
      expect(connected, query).toBe(0)
      expect(answer.statuses, query).toEqual([400])
    }
  })

  test('a credential subprotocol is never passed nor echoed, even offered alone or beside a listed one', async () => {
    const alone = await shake(
      handshake('GET /api/voice/openai/realtime HTTP/1.1', [
        `Origin: ${ALLOWED}`,
        'Sec-WebSocket-Protocol: openai-insecure-api-key.sk-evil',
      ]),
    )
    expect(alone.answer.statuses).toEqual([101])
    expect(alone.answer.text.toLowerCase()).not.toContain('sec-websocket-protocol')
    expect(alone.sessions[0]?.offered).toEqual([])
    const beside = await shake(
      handshake('GET /api/voice/openai/realtime HTTP/1.1', [
        `Origin: ${ALLOWED}`,
        'Sec-WebSocket-Protocol: openai-insecure-api-key.sk-evil, realtime',
      ]),
    )
    expect(beside.answer.text).toMatch(/sec-websocket-protocol: realtime\r\n/i)
    expect(beside.sessions[0]?.offered).toEqual(['realtime'])
    const malformed = await shake(
      handshake('GET /api/voice/openai/realtime HTTP/1.1', [
        `Origin: ${ALLOWED}`,
        'Sec-WebSocket-Protocol: realtime;x=1',
      ]),
    )
    expect(malformed.connected).toBe(0)
    expect(malformed.answer.statuses).toEqual([400])
  })

  test('a handshake by another method, or with a broken key or version: refused before the provider', async () => {
    for (const bytes of [
      handshake('POST /api/voice/openai/realtime HTTP/1.1', [`Origin: ${ALLOWED}`, 'Content-Length: 0']),
      handshake('GET /api/voice/openai/realtime HTTP/1.1').replace(KEY_HEADER, 'Sec-WebSocket-Key: x'),
      handshake('GET /api/voice/openai/realtime HTTP/1.1').replace(
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Version: 7',
      ),
    ]) {
      const { answer, connected } = await shake(bytes)
      expect(connected).toBe(0)
      expectRefused(answer, [400, 405, 426])
    }
  })

  test("what reached the provider: only the allowlisted sockets, with the server's key and nothing of the browser's", () => {
    expect(upstream.sessions.length).toBeGreaterThan(0)
    for (const session of upstream.sessions) {
      expect(session.url).toMatch(
        /^\/(openai\/realtime\?intent=transcription|elevenlabs\/v1\/speech-to-text\/realtime)/,
      )
      expect(session.headers.authorization).toBe(`Bearer ${KEY}`)
      expect(session.headers.origin).toBeUndefined()
      expect(session.headers.cookie).toBeUndefined()
    }
  })
})

function expectRefused(answer: RawExchange, allowed: number[]) {
  for (const status of answer.statuses) expect(allowed, answer.text.slice(0, 300)).toContain(status)
  if (answer.statuses.length === 0) expect(answer.closedByServer).toBe(true)
}
