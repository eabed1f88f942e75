// The proxy's behaviour over real sockets, once per host: node:http (toNodeListener) and workerd
// (miniflare). A fake upstream records what reaches it.
import { VOICE_ERROR_HEADER } from '@voicekit/core/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { bytes, chunkedBody, concatBytes, multipart, raw, within } from './test-support/client'
import { ALLOWED_ORIGIN, CAP, descriptors, hostConfig, KEYS } from './test-support/config'
import { customDescriptor, filled } from './test-support/custom-descriptor'
import { type Host, nodeFetchHost, nodeHost, type Running, workerdHost } from './test-support/hosts'
import {
  bodyOf,
  closedPort,
  type FakeUpstream,
  hold,
  type Recorded,
  sha256,
  startUpstream,
  waitFor,
} from './test-support/upstream'

/** Every path the proxy may ever ask of the upstream: `/{provider}{endpoint}` (no template has a parameter there). */
const upstreamPaths = new Set(
  descriptors.flatMap((descriptor) => descriptor.endpoints.map((endpoint) => `/${descriptor.id}${endpoint.path}`)),
)

/** Each endpoint of each descriptor, built-in or the app's own. */
const everyEndpoint = descriptors.flatMap((descriptor) =>
  descriptor.endpoints.map((endpoint) => ({
    descriptor,
    endpoint,
    name: `${descriptor.id}${endpoint.path}`,
    path: filled(endpoint.path),
  })),
)

function msgpackAsr(audio: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, audio.length)
  const str = (text: string) => concatBytes(new Uint8Array([0xa0 | text.length]), text)
  return concatBytes(
    new Uint8Array([0x83]),
    str('audio'),
    new Uint8Array([0xc6]),
    length,
    audio,
    str('language'),
    new Uint8Array([0xc0]),
    str('ignore_timestamps'),
    new Uint8Array([0xc2]),
  )
}

function defineSuite(host: Host) {
  let upstream: FakeUpstream
  let proxy: Running
  let base: string

  beforeAll(async () => {
    upstream = await startUpstream()
    proxy = await host.start(hostConfig(upstream.url, await closedPort()))
    base = proxy.url
  }, 60_000)

  afterAll(async () => {
    await proxy?.close()
    await upstream?.close()
  })

  /** Runs `action` and returns the upstream requests it caused. */
  async function upstreamDuring(action: () => Promise<unknown>): Promise<Recorded[]> {
    const before = upstream.requests.length
    await action()
    // Give a stray forwarded request time to land before concluding that none did.
    await new Promise((resolve) => setTimeout(resolve, 50))
    return upstream.requests.slice(before)
  }

  const lastRequest = () => {
    const last = upstream.requests.at(-1)
    if (!last) throw new Error('upstream saw no request')
    return last
  }

  describe('credentials and headers', () => {
    test('adds the key, strips browser credentials and hop-by-hop headers, never forwards the host', async () => {
      const form = multipart([{ name: 'file', value: bytes(1000), filename: 'a.wav', type: 'audio/wav' }])
      const seen = await upstreamDuring(async () => {
        const res = await raw(base, '/api/voice/dify/audio-to-text', {
          headers: {
            'content-type': form.contentType,
            accept: 'application/json',
            cookie: 'session=secret; other=1',
            authorization: 'Bearer browser-token',
            'proxy-authorization': 'Basic Zm9vOmJhcg==',
            origin: ALLOWED_ORIGIN,
            referer: `${ALLOWED_ORIGIN}/page`,
            'user-agent': 'EvilBrowser/1.0',
            'accept-language': 'de-CH',
            'x-forwarded-for': '203.0.113.7',
            'x-forwarded-host': 'evil.example',
            forwarded: 'for=203.0.113.7',
            'keep-alive': 'timeout=5',
            te: 'trailers',
            'x-api-key': 'client-key',
            'x-custom': 'x',
          },
          body: form.body,
        })
        expect(res.status).toBe(200)
      })
      expect(seen).toHaveLength(1)
      const [request] = seen as [Recorded]
      expect(request.method).toBe('POST')
      expect(request.path).toBe('/dify/audio-to-text')
      expect(request.headers.authorization).toBe(`Bearer ${KEYS.dify}`)
      expect(request.headers.host).toBe(new URL(upstream.url).host)
      expect(request.headers['content-type']).toBe(form.contentType)
      expect(request.headers.accept).toBe('application/json')
      for (const name of [
        'cookie',
        'proxy-authorization',
        'origin',
        'referer',
        'x-forwarded-for',
        'x-forwarded-host',
        'forwarded',
        'keep-alive',
        'te',
        'x-api-key',
        'x-custom',
      ]) {
        expect(request.headers[name], name).toBeUndefined()
      }
      expect(request.headers['user-agent']).not.toBe('EvilBrowser/1.0')
      expect(request.headers['accept-language']).not.toBe('de-CH')
    })

    test("sends each provider its own key, and Fish's model header", async () => {
      const seen = await upstreamDuring(async () => {
        const fish = await fetch(`${base}/api/voice/fish/v1/tts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', model: 's1' },
          body: JSON.stringify({ text: 'hi', format: 'mp3' }),
        })
        expect(fish.status).toBe(200)
        const openai = await fetch(`${base}/api/voice/openai/audio/speech`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', model: 'not-forwarded' },
          body: JSON.stringify({ model: 'tts-1', input: 'hi', voice: 'alloy' }),
        })
        expect(openai.status).toBe(200)
      })
      expect(seen.map((request) => request.path)).toEqual(['/fish/v1/tts', '/openai/audio/speech'])
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEYS.fish}`)
      expect(seen[0]?.headers.model).toBe('s1')
      expect(seen[1]?.headers.authorization).toBe(`Bearer ${KEYS.openai}`)
      expect(seen[1]?.headers.model).toBeUndefined()
    })

    test('passes back only safe response headers', async () => {
      upstream.respondNext((req, res) => {
        req.resume()
        req.on('end', () => {
          res.writeHead(429, {
            'content-type': 'application/json',
            'retry-after': '3',
            'x-ratelimit-remaining-requests': '0',
            'set-cookie': 'tracking=1; Path=/',
            'x-secret': 'internal',
            [VOICE_ERROR_HEADER]: 'timeout',
            'access-control-allow-origin': '*',
            'access-control-allow-credentials': 'true',
          })
          res.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit', param: null, code: null } }))
        })
      })
      const res = await fetch(`${base}/api/voice/openai/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      expect(res.status).toBe(429)
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(res.headers.get('retry-after')).toBe('3')
      expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0')
      for (const name of [
        'set-cookie',
        'x-secret',
        VOICE_ERROR_HEADER,
        'access-control-allow-origin',
        'access-control-allow-credentials',
      ]) {
        expect(res.headers.get(name), name).toBeNull()
      }
      expect(await res.json()).toEqual({ error: { message: 'slow down', type: 'rate_limit', param: null, code: null } })
    })
  })

  describe('bodies', () => {
    test('a multipart upload arrives byte for byte', async () => {
      const form = multipart([
        { name: 'audio', value: bytes(200_000, 7), filename: 'speech.wav', type: 'audio/wav' },
        { name: 'model_id', value: 'openai/whisper-large-v3' },
        { name: 'return_timestamps', value: 'true' },
      ])
      const res = await fetch(`${base}/api/voice/livepeer/audio-to-text`, {
        method: 'POST',
        headers: { 'content-type': form.contentType },
        body: form.body,
      })
      expect(res.status).toBe(200)
      const request = lastRequest()
      expect(request.path).toBe('/livepeer/audio-to-text')
      expect(request.headers['content-type']).toBe(form.contentType)
      expect(request.bytes).toBe(form.body.length)
      expect(sha256(bodyOf(request))).toBe(sha256(form.body))
    })

    test('a msgpack upload arrives byte for byte', async () => {
      const body = msgpackAsr(bytes(150_000, 3))
      const res = await fetch(`${base}/api/voice/fish/v1/asr`, {
        method: 'POST',
        headers: { 'content-type': 'application/msgpack' },
        body,
      })
      expect(res.status).toBe(200)
      const request = lastRequest()
      expect(request.path).toBe('/fish/v1/asr')
      expect(request.headers['content-type']).toBe('application/msgpack')
      expect(sha256(bodyOf(request))).toBe(sha256(body))
    })

    test('a 30 MiB upload arrives byte for byte, with its Content-Length', async () => {
      const form = multipart([
        { name: 'file', value: bytes(30 * 1024 * 1024, 11), filename: 'a.wav', type: 'audio/wav' },
      ])
      const res = await fetch(`${base}/api/voice/dify/audio-to-text`, {
        method: 'POST',
        headers: { 'content-type': form.contentType },
        body: form.body,
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ ok: true, bytes: form.body.length })
      const request = lastRequest()
      expect(request.headers['content-length']).toBe(String(form.body.length))
      expect(sha256(bodyOf(request))).toBe(sha256(form.body))
    }, 60_000)

    test('the response streams: the first bytes arrive before the provider has finished', async () => {
      let release!: () => void
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      upstream.respondNext((req, res) => {
        req.resume()
        req.on('end', async () => {
          res.writeHead(200, { 'content-type': 'audio/mpeg' })
          res.write(Buffer.from('first-chunk'))
          await released
          res.end(Buffer.from('|second-chunk'))
        })
      })
      const res = await fetch(`${base}/api/voice/dify/text-to-audio`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hello' }),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('audio/mpeg')
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      const first = await within(reader.read(), 5_000, 'the first chunk')
      expect(new TextDecoder().decode(first.value)).toBe('first-chunk')
      expect(lastRequest().responded).toBe(false)
      release()
      let rest = ''
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        rest += new TextDecoder().decode(chunk.value)
      }
      expect(rest).toBe('|second-chunk')
    })
  })

  describe('upload limit', () => {
    test('a declared Content-Length over the cap is refused before the provider is contacted', async () => {
      const seen = await upstreamDuring(async () => {
        const res = await fetch(`${base}/capped/dify/audio-to-text`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: bytes(CAP + 1),
        })
        expect(res.status).toBe(413)
        expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('audio_too_large')
        expect(await res.json()).toMatchObject({ status: 413, code: 'audio_too_large' })
      })
      expect(seen).toEqual([])
    })

    test.each([
      ['dify', '/capped/dify/audio-to-text', { status: 413, code: 'audio_too_large' }],
      ['livepeer', '/capped/livepeer/audio-to-text', { detail: { msg: expect.stringContaining(String(CAP)) } }],
    ])('an upload without Content-Length is cut off past the cap (%s shape)', async (_name, path, shape) => {
      const chunk = 64 * 1024
      const upload = chunkedBody(16, chunk)
      const before = upstream.requests.length
      const answer = fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: upload.stream,
        duplex: 'half',
      } as RequestInit)
      const res = await answer.catch((error: unknown) => {
        // workerd may reset the connection instead of letting the early 413 through.
        if (host.answersEarlyDuringUpload) throw error
        return undefined
      })
      if (res) {
        expect(res.status).toBe(413)
        expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('audio_too_large')
        expect(await res.json()).toMatchObject(shape)
      }
      // The body streams, so the proxy has opened exactly one upstream request: wait for it to end,
      // so that it cannot land in a later test's observation window.
      await waitFor(() => upstream.requests.length > before, 10_000, 'the upstream request')
      const seen = upstream.requests.slice(before)
      expect(seen).toHaveLength(1)
      const [request] = seen
      await waitFor(() => request!.aborted || request!.complete, 10_000, 'the upstream request to end')
      expect(request!.bytes).toBeLessThanOrEqual(CAP + chunk)
      expect(request!.complete).toBe(false)
    })
  })

  describe('routing', () => {
    const tricks = [
      '/api/voice/dify/..%2f..%2fadmin',
      '/api/voice/dify/audio-to-text/..%2f..%2fchat-messages',
      '/api/voice/%2e%2e/%2e%2e/etc/passwd',
      '/api/voice/dify/%2e%2e/%2e%2e/etc/passwd',
      '/api/voice/dify/../../../etc/passwd',
      '/api/voice/dify/%252e%252e/audio-to-text',
      '/api/voice/dify/..%5c..%5caudio-to-text',
      '/api/voice/dify%2faudio-to-text',
      '/api/voice/dify/audio-to-text%00',
      '//evil.example/api/voice/dify/audio-to-text',
      '/api/voice//evil.example/audio-to-text',
      '/api/voice/dify//audio-to-text',
      '/api/voice/dify/audio-to-text/',
      '/api/voice/dify/./audio-to-text/.',
      '/api/voice/http://evil.example/audio-to-text',
      '/api/voice/dify/http://evil.example/v1/audio-to-text',
      '/api/voice/https:%2f%2fevil.example/audio-to-text',
      '/api/voice/elevenlabs/v1/text-to-speech',
      '/api/voice/__proto__/audio-to-text',
      '/api/voice/constructor/audio-to-text',
      '/api/voice/DIFY/audio-to-text',
      '/api/voice/dify/chat-messages',
      '/api/voice/dify/v1/audio-to-text',
      '/api/voice/dify',
    ]
    test.each(tricks)('%s never reaches the provider', async (path) => {
      const seen = await upstreamDuring(async () => {
        const res = await raw(base, path, { headers: { 'content-type': 'application/json' }, body: '{}' })
        expect([400, 404]).toContain(res.status)
      })
      expect(seen).toEqual([])
    })

    test('a query string is accepted and never forwarded (Next.js appends ?path=... to a catch-all)', async () => {
      const seen = await upstreamDuring(async () => {
        for (const query of ['?path=dify&path=text-to-audio', '?user=mallory', '?redirect=http://evil.example']) {
          const res = await raw(base, `/api/voice/dify/text-to-audio${query}`, {
            headers: { 'content-type': 'application/json' },
            body: '{"text":"hi"}',
          })
          expect(res.status).toBe(200)
        }
      })
      expect(seen.map((request) => request.path)).toEqual(Array(3).fill('/dify/text-to-audio'))
    })

    test('dot segments that resolve to another route never leave the allowlist', async () => {
      const seen = await upstreamDuring(async () => {
        for (const path of ['/api/voice/dify/%2e%2e/openai/audio/speech', '/api/voice/dify/../openai/audio/speech']) {
          const res = await raw(base, path, { headers: { 'content-type': 'application/json' }, body: '{}' })
          if (!host.resolvesDotSegments) expect(res.status).toBe(404)
        }
      })
      // Node checks the raw path and refuses; runtimes that resolve the URL first can only land on a route.
      if (!host.resolvesDotSegments) expect(seen).toEqual([])
      for (const request of seen) expect(upstreamPaths.has(request.path)).toBe(true)
    })

    test('only POST is forwarded; other methods get 405 with Allow', async () => {
      const seen = await upstreamDuring(async () => {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const res = await raw(base, '/api/voice/dify/audio-to-text', { method })
          expect(res.status).toBe(405)
          expect(res.headers.allow).toBe('POST, OPTIONS')
          expect(res.headers[VOICE_ERROR_HEADER]).toBe('invalid_request')
        }
      })
      expect(seen).toEqual([])
    })

    test('a known provider with an unknown endpoint answers 404 in its own shape', async () => {
      const res = await fetch(`${base}/api/voice/livepeer/text-to-image`, { method: 'POST', body: '{}' })
      expect(res.status).toBe(404)
      expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('invalid_request')
      expect(await res.json()).toEqual({ detail: { msg: expect.any(String) } })
    })
  })

  describe('origins', () => {
    test('a foreign origin is refused without contacting the provider', async () => {
      const seen = await upstreamDuring(async () => {
        const res = await raw(base, '/api/voice/dify/text-to-audio', {
          headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
          body: '{"text":"hi"}',
        })
        expect(res.status).toBe(403)
        expect(res.headers[VOICE_ERROR_HEADER]).toBe('unauthorized')
        expect(res.headers['access-control-allow-origin']).toBeUndefined()
        expect(JSON.parse(res.text)).toMatchObject({ status: 403 })
      })
      expect(seen).toEqual([])
    })

    test('a CORS preflight is answered for an allowed origin, and refused for a foreign one', async () => {
      const seen = await upstreamDuring(async () => {
        const ok = await raw(base, '/api/voice/fish/v1/tts', {
          method: 'OPTIONS',
          headers: {
            origin: ALLOWED_ORIGIN,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, model',
          },
        })
        expect(ok.status).toBe(204)
        expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN)
        expect(ok.headers['access-control-allow-methods']).toBe('POST')
        expect(ok.headers['access-control-allow-headers']).toBe('content-type, accept, model')
        expect(ok.headers.vary).toBe('Origin')
        expect(ok.headers['access-control-allow-credentials']).toBeUndefined()
        const refused = await raw(base, '/api/voice/fish/v1/tts', {
          method: 'OPTIONS',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
        })
        expect(refused.status).toBe(403)
        expect(refused.headers['access-control-allow-origin']).toBeUndefined()
      })
      expect(seen).toEqual([])
    })

    test("an allowed origin's request is forwarded, with CORS headers that expose the proxy's error header", async () => {
      const res = await fetch(`${base}/api/voice/dify/text-to-audio`, {
        method: 'POST',
        headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN)
      expect(res.headers.get('access-control-expose-headers')).toContain(VOICE_ERROR_HEADER)
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    })

    test('by default only pages on the proxy host are let through', async () => {
      const seen = await upstreamDuring(async () => {
        const same = await raw(base, '/same-host/dify/text-to-audio', {
          headers: { origin: base, 'content-type': 'application/json' },
          body: '{"text":"hi"}',
        })
        expect(same.status).toBe(200)
        const foreign = await raw(base, '/same-host/dify/text-to-audio', {
          headers: { origin: 'http://localhost:1', 'content-type': 'application/json' },
          body: '{"text":"hi"}',
        })
        expect(foreign.status).toBe(403)
        const none = await raw(base, '/same-host/dify/text-to-audio', {
          headers: { 'content-type': 'application/json' },
          body: '{"text":"hi"}',
        })
        expect(none.status).toBe(200)
      })
      expect(seen).toHaveLength(2)
    })
  })

  describe("the proxy's own failures", () => {
    test('a provider that does not answer in time gives 504 timeout', async () => {
      // The provider holds the request and never answers: a 504 can only be the proxy's own deadline, after
      // the request reached the provider (the order, not the elapsed time, is what is checked).
      upstream.respondNext(hold)
      const before = upstream.requests.length
      const res = await fetch(`${base}/slow/dify/text-to-audio`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      })
      expect(upstream.requests, 'the request reached the provider before the 504').toHaveLength(before + 1)
      const request = lastRequest()
      expect(res.status).toBe(504)
      expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('timeout')
      expect(await res.json()).toMatchObject({ status: 504, code: 'gateway_timeout' })
      await waitFor(() => request.aborted, 5_000, 'the upstream request to be aborted')
    })

    test('a response body that stalls is cut and the provider request aborted', async () => {
      upstream.respondNext((req, res) => {
        req.resume()
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'audio/mpeg' })
          res.write(Buffer.from('partial'))
        })
      })
      const res = await fetch(`${base}/slow/openai/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"input":"hi"}',
      })
      expect(res.status).toBe(200)
      const read = within(res.text(), 5_000, 'the stalled body')
      if (host.reportsTruncatedBodies) await expect(read).rejects.toThrow()
      else expect(await read).toMatch(/^(partial)?$/)
      const request = lastRequest()
      await waitFor(() => request.aborted, 5_000, 'the upstream request to be aborted')
    })

    test('an unreachable provider gives 502 provider_unavailable', async () => {
      const res = await fetch(`${base}/down/dify/text-to-audio`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      })
      expect(res.status).toBe(502)
      expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('provider_unavailable')
      expect(await res.json()).toMatchObject({ status: 502, code: 'bad_gateway' })
    })

    test('a provider that redirects gets 502, and the redirect is never followed', async () => {
      upstream.respondNext((req, res) => {
        req.resume()
        req.on('end', () => {
          res.writeHead(307, { location: `${upstream.url}/elsewhere` })
          res.end()
        })
      })
      const seen = await upstreamDuring(async () => {
        const res = await fetch(`${base}/api/voice/dify/audio-to-text`, { method: 'POST', body: bytes(70_000) })
        expect(res.status).toBe(502)
        expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('provider_unavailable')
        expect(res.headers.get('location')).toBeNull()
        expect(await res.json()).toMatchObject({ status: 502, code: 'bad_gateway' })
      })
      expect(seen.map((request) => request.path)).toEqual(['/dify/audio-to-text'])
    })

    test('a provider without a key answers its own "not initialized" error', async () => {
      const seen = await upstreamDuring(async () => {
        const dify = await fetch(`${base}/none/dify/audio-to-text`, { method: 'POST', body: 'x' })
        expect(dify.status).toBe(400)
        expect(dify.headers.get(VOICE_ERROR_HEADER)).toBe('provider_misconfigured')
        expect(await dify.json()).toEqual({
          status: 400,
          code: 'provider_not_initialize',
          message: expect.stringContaining('providers.dify.apiKey'),
        })
        const livepeer = await fetch(`${base}/none/livepeer/audio-to-text`, { method: 'POST', body: 'x' })
        expect(livepeer.status).toBe(503)
        expect(livepeer.headers.get(VOICE_ERROR_HEADER)).toBe('provider_misconfigured')
        expect(await livepeer.json()).toEqual({ detail: { msg: expect.stringContaining('LIVEPEER_API_KEY') } })
        const openai = await fetch(`${base}/none/openai/audio/speech`, { method: 'POST', body: 'x' })
        expect(openai.status).toBe(503)
        expect(await openai.json()).toMatchObject({ error: { code: 'provider_not_configured' } })
      })
      expect(seen).toEqual([])
    })

    // workerd finds out about a disconnected client on its next write: the streaming case below covers it.
    if (host.noticesIdleDisconnect) {
      test('a client abort while waiting reaches the provider', async () => {
        upstream.respondNext(hold)
        const before = upstream.requests.length
        const controller = new AbortController()
        const pending = fetch(`${base}/api/voice/dify/text-to-audio`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"text":"hi"}',
          signal: controller.signal,
        })
        await waitFor(() => upstream.requests.length > before, 5_000, 'the upstream request')
        const request = lastRequest()
        await waitFor(() => request.complete, 5_000, 'the upstream body')
        controller.abort()
        await expect(pending).rejects.toThrow()
        await waitFor(() => request.aborted, 5_000, 'the upstream request to be aborted')
      })
    }

    test('a client abort while the response streams reaches the provider', async () => {
      upstream.respondNext((req, res) => {
        req.resume()
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'audio/mpeg' })
          // Audio keeps coming, as from a text-to-speech stream, until someone hangs up.
          const tick = setInterval(() => res.write(Buffer.from('audio')), 20)
          res.on('close', () => clearInterval(tick))
        })
      })
      const controller = new AbortController()
      const res = await fetch(`${base}/api/voice/openai/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"input":"hi"}',
        signal: controller.signal,
      })
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      await within(reader.read(), 5_000, 'the first chunk')
      const request = lastRequest()
      controller.abort()
      await waitFor(() => request.aborted, 5_000, 'the upstream request to be aborted')
    })
  })

  describe('every descriptor, built-in or the app’s own', () => {
    test.each(everyEndpoint)('$name: forwarded to its filled template with its own auth header', async (entry) => {
      const { descriptor, path } = entry
      const extra = Object.fromEntries((descriptor.requestHeaders ?? []).map((name) => [name, 'forwarded']))
      const seen = await upstreamDuring(async () => {
        const res = await raw(base, `/api/voice/${descriptor.id}${path}`, {
          headers: { 'content-type': 'application/json', authorization: 'Bearer browser', ...extra },
          body: '{"text":"hi"}',
        })
        expect(res.status).toBe(200)
        expect(JSON.stringify(res.headers) + res.text).not.toContain(KEYS[descriptor.id])
      })
      expect(seen).toHaveLength(1)
      const [request] = seen as [Recorded]
      expect(request.path).toBe(`/${descriptor.id}${path}`)
      expect(request.headers[descriptor.auth.header]).toBe(`${descriptor.auth.prefix ?? ''}${KEYS[descriptor.id]}`)
      if (descriptor.auth.header !== 'authorization') expect(request.headers.authorization).toBeUndefined()
      for (const name of Object.keys(extra)) expect(request.headers[name]).toBe('forwarded')
    })

    test.each(descriptors)(
      '$id: not configured, answers its own error naming the option and env variable',
      async (descriptor) => {
        const endpoint = descriptor.endpoints[0]!
        const seen = await upstreamDuring(async () => {
          const res = await raw(base, `/none/${descriptor.id}${filled(endpoint.path)}`, {
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
          expect(res.status).toBe(descriptor.notConfigured?.status ?? 503)
          expect(res.headers[VOICE_ERROR_HEADER]).toBe('provider_misconfigured')
          const body = JSON.parse(res.text)
          const message = JSON.stringify(body)
          expect(message).toContain(`providers.${descriptor.id}.apiKey`)
          if (descriptor.env) expect(message).toContain(descriptor.env.apiKey)
          // The provider's own shape, as its descriptor writes it.
          const code = descriptor.notConfigured?.providerCode ?? 'provider_not_configured'
          const [shape] = [descriptor.errorBody(res.status, '<message>', code)]
          expect(JSON.stringify(body).replace(/"[^"]*providers\.[^"]*"/, '"<message>"')).toBe(JSON.stringify(shape))
        })
        expect(seen).toEqual([])
      },
    )

    const speak = `/api/voice/${customDescriptor.id}/v2/voices`
    // Dot segments are refused before routing on Node, or resolved away by workerd: a 404 either way.
    test.each([
      ['dot segments', '/../speak', false],
      ['encoded dots', '/%2e%2e/speak', false],
      ['an encoded slash', '/a%2Fb/speak', true],
      ['a dot inside', '/a.b/speak', true],
      ['an empty value', '//speak', true],
      ['two segments', '/a/b/speak', true],
      ['a value too long', `/${'v'.repeat(129)}/speak`, true],
      ['a percent-encoded letter', '/%41bc/speak', true],
      ['a space', '/a%20b/speak', true],
    ])('a path parameter with %s matches no route: 404, nothing forwarded', async (_name, rest, shaped) => {
      const seen = await upstreamDuring(async () => {
        const res = await raw(base, `${speak}${rest}`, { headers: { 'content-type': 'application/json' }, body: '{}' })
        expect(res.status).toBe(404)
        if (shaped) expect(JSON.parse(res.text)).toMatchObject({ fault: { status: 404, code: 'not_found' } })
      })
      expect(seen).toEqual([])
    })

    test('only the endpoint’s allowed query parameters pass, once each, re-encoded', async () => {
      const seen = await upstreamDuring(async () => {
        for (const query of [
          '?speed=1.25&path=acme-voice&format=mp3_44100_128&user=mallory',
          '?format=opus',
          '?other=1',
        ]) {
          const res = await raw(base, `${speak}/v_9/speak${query}`, {
            headers: { 'content-type': 'application/json' },
            body: '{"text":"hi"}',
          })
          expect(res.status).toBe(200)
        }
        // The transcribe endpoint allows none: whatever the client sends is left behind.
        const listen = await raw(base, `/api/voice/${customDescriptor.id}/v2/listen?format=mp3`, {
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
        expect(listen.status).toBe(200)
      })
      expect(seen.map((request) => request.path)).toEqual([
        '/acme-voice/v2/voices/v_9/speak?format=mp3_44100_128&speed=1.25',
        '/acme-voice/v2/voices/v_9/speak?format=opus',
        '/acme-voice/v2/voices/v_9/speak',
        '/acme-voice/v2/listen',
      ])
    })

    test.each([
      ['given twice', '?format=mp3&format=wav'],
      ['with a line break', '?format=mp3%0d%0aX-Injected:1'],
      ['with a slash', '?format=../admin'],
      ['empty', '?format='],
    ])('an allowed query parameter %s is refused with 400, nothing forwarded', async (_name, query) => {
      const seen = await upstreamDuring(async () => {
        const res = await raw(base, `${speak}/v_9/speak${query}`, {
          headers: { 'content-type': 'application/json' },
          body: '{"text":"hi"}',
        })
        expect(res.status).toBe(400)
        expect(JSON.parse(res.text)).toMatchObject({ fault: { status: 400, code: 'invalid_param' } })
      })
      expect(seen).toEqual([])
    })

    test('its end-user field is written by the server, in JSON and in multipart bodies', async () => {
      const json = await fetch(`${base}/user/${customDescriptor.id}/v2/voices/v_1/speak`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'session=alice' },
        body: JSON.stringify({ text: 'hello', customer: 'mallory', user: 'kept' }),
      })
      expect(json.status).toBe(200)
      expect(JSON.parse(bodyOf(lastRequest()).toString('utf8'))).toEqual({
        text: 'hello',
        user: 'kept',
        customer: 'user-alice',
      })
      const form = multipart([
        { name: 'customer', value: 'mallory' },
        { name: 'file', value: bytes(5000, 3), filename: 'a.wav', type: 'audio/wav' },
      ])
      const upload = await fetch(`${base}/user/${customDescriptor.id}/v2/listen`, {
        method: 'POST',
        headers: { 'content-type': form.contentType, cookie: 'session=alice' },
        body: form.body,
      })
      expect(upload.status).toBe(200)
      const request = lastRequest()
      expect(request.headers['x-acme-key']).toBe(`Key ${KEYS[customDescriptor.id]}`)
      const parsed = await new Response(new Uint8Array(bodyOf(request)), {
        headers: { 'content-type': String(request.headers['content-type']) },
      }).formData()
      expect(parsed.getAll('customer')).toEqual(['user-alice'])
    })
  })

  describe("Dify's user, decided by the server", () => {
    test('text-to-audio: the JSON user field is replaced', async () => {
      const res = await fetch(`${base}/user/dify/text-to-audio`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'session=alice' },
        body: JSON.stringify({ text: 'hello', user: 'mallory', voice: 'alloy', streaming: true }),
      })
      expect(res.status).toBe(200)
      const request = lastRequest()
      expect(request.headers.cookie).toBeUndefined()
      expect(JSON.parse(bodyOf(request).toString('utf8'))).toEqual({
        text: 'hello',
        voice: 'alloy',
        streaming: true,
        user: 'user-alice',
      })
    })

    test('audio-to-text: every client user part is dropped and the server one added; the audio is untouched', async () => {
      const audio = bytes(300_000, 5)
      const form = multipart([
        { name: 'user', value: 'mallory' },
        { name: 'file', value: audio, filename: 'a.wav', type: 'audio/wav' },
        { name: 'user', value: 'eve' },
      ])
      const res = await fetch(`${base}/user/dify/audio-to-text`, {
        method: 'POST',
        headers: { 'content-type': form.contentType, cookie: 'session=alice' },
        body: form.body,
      })
      expect(res.status).toBe(200)
      const request = lastRequest()
      const parsed = await new Response(new Uint8Array(bodyOf(request)), {
        headers: { 'content-type': String(request.headers['content-type']) },
      }).formData()
      expect(parsed.getAll('user')).toEqual(['user-alice'])
      const file = parsed.get('file') as File
      expect(file.name).toBe('a.wav')
      expect(file.type).toBe('audio/wav')
      expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(audio))
    })

    test('without a session the resolver refuses: 401, nothing forwarded', async () => {
      const seen = await upstreamDuring(async () => {
        const res = await fetch(`${base}/user/dify/text-to-audio`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'hello', user: 'mallory' }),
        })
        expect(res.status).toBe(401)
        expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('unauthorized')
      })
      expect(seen).toEqual([])
    })

    test('a multipart body that cannot be read unambiguously is refused with 400', async () => {
      const body = concatBytes(
        '--b0undary\r\nContent-Disposition: form-data; name="file"; name="user"\r\n\r\nx\r\n--b0undary--\r\n',
      )
      const res = await fetch(`${base}/user/dify/audio-to-text`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=b0undary', cookie: 'session=alice' },
        body,
      })
      expect(res.status).toBe(400)
      expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('invalid_request')
      expect(await res.json()).toMatchObject({ status: 400, code: 'invalid_param' })
    })
  })
}

for (const host of [nodeHost, nodeFetchHost, workerdHost]) {
  describe(`proxy hosted on ${host.name}`, () => defineSuite(host))
}
