// toNodeListener under node:http, Connect/Express-style chains, and the Vite plugin in a real Vite
// dev server and preview server.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VOICE_ERROR_HEADER } from '@voicekit/core/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createVoiceProxy } from './handler'
import { type NextFunction, type NodeListener, toNodeListener } from './node'
import { raw } from './test-support/client'
import { bodyOf, type FakeUpstream, startUpstream } from './test-support/upstream'
import { voiceProxy } from './vite'

type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void

let upstream: FakeUpstream
beforeAll(async () => {
  upstream = await startUpstream()
})
afterAll(() => upstream.close())

const providers = () => ({ dify: { apiKey: 'sk-node', baseUrl: `${upstream.url}/dify` } })

/** A minimal Connect: middlewares in order, each calling next() to pass on; errors end in a 500. */
async function serve(middlewares: Middleware[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const run = (index: number, error?: unknown) => {
      if (error !== undefined) {
        res.statusCode = 500
        res.end(`error: ${error instanceof Error ? error.message : String(error)}`)
        return
      }
      const middleware = middlewares[index]
      if (middleware) middleware(req, res, (err?: unknown) => run(index + 1, err))
      else {
        res.statusCode = 404
        res.end('fallthrough')
      }
    }
    run(0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

const tts = { headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' }

describe('toNodeListener', () => {
  test('takes the Node path by default, the Fetch path when asked or when the app gives its own fetch', async () => {
    // The runtime's fetch announces itself upstream (sec-fetch-mode); Node's own http client does not.
    const viaFetch = async (listener: NodeListener) => {
      const { url, server } = await serve([(req, res) => listener(req, res)])
      try {
        const before = upstream.requests.length
        expect((await raw(url, '/api/voice/dify/text-to-audio', tts)).status).toBe(200)
        const [request] = upstream.requests.slice(before)
        expect(request?.headers.authorization).toBe('Bearer sk-node')
        return request?.headers['sec-fetch-mode'] !== undefined
      } finally {
        await close(server)
      }
    }
    const handler = createVoiceProxy({ providers: providers() })
    expect(await viaFetch(toNodeListener(handler))).toBe(false)
    expect(await viaFetch(toNodeListener(handler, { io: 'node' }))).toBe(false)
    expect(await viaFetch(toNodeListener(handler, { io: 'fetch' }))).toBe(true)
    const ownFetch = createVoiceProxy({ providers: providers(), fetch: (input, init) => globalThis.fetch(input, init) })
    expect(await viaFetch(toNodeListener(ownFetch))).toBe(true)
  })

  test('on plain node:http: routes below basePath are proxied, everything else is a 404', async () => {
    const listener = toNodeListener(createVoiceProxy({ providers: providers() }))
    const { url, server } = await serve([(req, res) => listener(req, res)])
    try {
      const before = upstream.requests.length
      const ok = await raw(url, '/api/voice/dify/text-to-audio', tts)
      expect(ok.status).toBe(200)
      expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-node')
      const outside = await raw(url, '/elsewhere', tts)
      expect(outside.status).toBe(404)
      expect(outside.headers[VOICE_ERROR_HEADER]).toBe('invalid_request')
      const absolute = await raw(url, 'http://evil.example/api/voice/dify/text-to-audio', tts)
      expect(absolute.status).toBe(404)
      expect(upstream.requests.length).toBe(before + 1)
    } finally {
      await close(server)
    }
  })

  test('in a Connect chain: other paths go to next(), proxied ones never do', async () => {
    const listener = toNodeListener(createVoiceProxy({ providers: providers() }))
    let nextCalls = 0
    const after: Middleware = (_req, res) => {
      nextCalls++
      res.end('the app')
    }
    const { url, server } = await serve([listener as Middleware, after])
    try {
      expect((await raw(url, '/index.html', { method: 'GET' })).text).toBe('the app')
      expect((await raw(url, '/api/voicex/dify/text-to-audio', tts)).text).toBe('the app')
      expect(nextCalls).toBe(2)
      const proxied = await raw(url, '/api/voice/dify/text-to-audio', tts)
      expect(proxied.status).toBe(200)
      const unknown = await raw(url, '/api/voice/dify/nothing-here', tts)
      expect(unknown.status).toBe(404)
      expect(nextCalls).toBe(2)
    } finally {
      await close(server)
    }
  })

  test('mounted Express-style at a path (req.url stripped, originalUrl kept)', async () => {
    const listener = toNodeListener(createVoiceProxy({ providers: providers() }))
    const mount =
      (prefix: string, inner: NodeListener): Middleware =>
      (req, res, next) => {
        const original = req.url ?? '/'
        if (!original.startsWith(prefix)) return next()
        Object.assign(req, { originalUrl: original, url: original.slice(prefix.length) || '/' })
        inner(req, res, next)
      }
    const { url, server } = await serve([mount('/api/voice', listener)])
    try {
      const res = await raw(url, '/api/voice/dify/text-to-audio', tts)
      expect(res.status).toBe(200)
      expect(upstream.requests.at(-1)?.path).toBe('/dify/text-to-audio')
    } finally {
      await close(server)
    }
  })

  test('a body already consumed by a body parser is reported, not forwarded empty', async () => {
    const listener = toNodeListener(createVoiceProxy({ providers: providers() }))
    const jsonParser: Middleware = (req, _res, next) => {
      let text = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => {
        text += chunk
      })
      req.on('end', () => {
        Object.assign(req, { body: JSON.parse(text), _body: true })
        next()
      })
    }
    const { url, server } = await serve([jsonParser, listener as Middleware])
    try {
      const before = upstream.requests.length
      const res = await raw(url, '/api/voice/dify/text-to-audio', tts)
      expect(res.status).toBe(500)
      expect(res.text).toContain('before any body parser')
      expect(upstream.requests.length).toBe(before)
    } finally {
      await close(server)
    }
  })

  test('a handler that throws goes to next(error), or a bare 500 without next', async () => {
    const failing = Object.assign(async () => Promise.reject(new Error('boom')), { basePath: '/api/voice' })
    const listener = toNodeListener(failing)
    const chained = await serve([listener as Middleware])
    const bare = await serve([(req, res) => listener(req, res)])
    try {
      expect((await raw(chained.url, '/api/voice/x', tts)).text).toBe('error: boom')
      expect((await raw(bare.url, '/api/voice/x', tts)).status).toBe(500)
    } finally {
      await close(chained.server)
      await close(bare.server)
    }
  })

  test('a plain Fetch handler (no basePath) receives every request, streaming its body', async () => {
    const listener = toNodeListener(async (request) => {
      const text = await request.text()
      return new Response(`${request.method} ${new URL(request.url).pathname} ${text.length}`, {
        headers: { 'set-cookie': 'a=1' },
      })
    })
    const { url, server } = await serve([(req, res) => listener(req, res)])
    try {
      const res = await raw(url, '/any/path', { body: 'x'.repeat(100_000) })
      expect(res.text).toBe('POST /any/path 100000')
      expect(res.headers['set-cookie']).toEqual(['a=1'])
    } finally {
      await close(server)
    }
  })
})

describe('voiceProxy (Vite plugin)', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'voicekit-proxy-vite-'))
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>')
  })
  afterAll(() => rm(root, { recursive: true, force: true }))

  test('the dev server proxies the routes and serves the app around them', async () => {
    const { createServer: createViteServer } = await import('vite')
    const vite = await createViteServer({
      configFile: false,
      root,
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1', strictPort: false, ws: false },
      plugins: [voiceProxy({ providers: providers() })],
    })
    await vite.listen()
    try {
      const address = vite.httpServer?.address() as AddressInfo
      const url = `http://127.0.0.1:${address.port}`
      const res = await fetch(`${url}/api/voice/dify/text-to-audio`, {
        method: 'POST',
        ...tts,
        headers: { ...tts.headers, origin: url },
      })
      expect(res.status).toBe(200)
      const request = upstream.requests.at(-1)
      expect(request?.headers.authorization).toBe('Bearer sk-node')
      expect(bodyOf(request as NonNullable<typeof request>).toString()).toBe('{"text":"hi"}')
      const page = await fetch(`${url}/`)
      expect(await page.text()).toContain('<title>app</title>')
      const refused = await fetch(`${url}/api/voice/dify/text-to-audio`, { method: 'GET' })
      expect(refused.status).toBe(405)
    } finally {
      await vite.close()
    }
  }, 30_000)

  test('the preview server proxies the routes too', async () => {
    await mkdir(join(root, 'dist'), { recursive: true })
    await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><title>built</title>')
    const { preview } = await import('vite')
    const server = await preview({
      configFile: false,
      root,
      logLevel: 'silent',
      preview: { port: 0, host: '127.0.0.1', strictPort: false },
      plugins: [voiceProxy({ providers: providers() })],
    })
    try {
      const address = server.httpServer.address() as AddressInfo
      const url = `http://127.0.0.1:${address.port}`
      const before = upstream.requests.length
      const res = await fetch(`${url}/api/voice/dify/text-to-audio`, { method: 'POST', ...tts })
      expect(res.status).toBe(200)
      expect(upstream.requests.length).toBe(before + 1)
      expect(await (await fetch(`${url}/`)).text()).toContain('<title>built</title>')
    } finally {
      await server.close()
    }
  }, 30_000)
})
