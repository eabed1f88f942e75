// The Fetch handler called directly, with a recording fetch: configuration, validation and header rules.
import { type ProviderDescriptor, providerDescriptors, VOICE_ERROR_HEADER } from '@voicekit/core/server'
import { describe, expect, test } from 'vitest'
import { createVoiceProxy } from './handler'
import type { VoiceProxyOptions } from './options'
import { customDescriptor } from './test-support/custom-descriptor'

interface Call {
  url: string
  init: RequestInit
  headers: Headers
  body: string
}

function recording(respond: () => Response = () => new Response('{"ok":true}')) {
  const calls: Call[] = []
  const fetch = async (url: string, init: RequestInit) => {
    const body = init.body ? await new Response(init.body).text() : ''
    calls.push({ url, init, headers: new Headers(init.headers), body })
    return respond()
  }
  return { calls, fetch }
}

const post = (path: string, init: RequestInit = {}) =>
  new Request(`https://app.example${path}`, { method: 'POST', body: '{"text":"hi"}', ...init })

describe('configuration', () => {
  test.each([
    ['a relative basePath', { basePath: 'api/voice' }],
    ['a basePath with dot segments', { basePath: '/api/../voice' }],
    ['a basePath with encodings', { basePath: '/api/%2e%2e' }],
    ['a baseUrl that is not a URL', { providers: { dify: { apiKey: 'k', baseUrl: 'not a url' } } }],
    ['a baseUrl with a query', { providers: { dify: { apiKey: 'k', baseUrl: 'https://x.example/v1?a=1' } } }],
    ['a baseUrl with credentials', { providers: { dify: { apiKey: 'k', baseUrl: 'https://u:p@x.example/v1' } } }],
    ['a non-http baseUrl', { providers: { dify: { apiKey: 'k', baseUrl: 'file:///etc' } } }],
    ['a zero timeout', { timeoutMs: 0 }],
    ['a negative upload limit', { maxUploadBytes: -1 }],
    ['forwarding cookies', { forwardHeaders: ['Cookie'] }],
    ['forwarding x-forwarded-for', { forwardHeaders: ['x-forwarded-for'] }],
    ['forwarding proxy-authorization', { forwardHeaders: ['proxy-authorization'] }],
    ['forwarding a bad header name', { forwardHeaders: ['bad header'] }],
    ['a provider with no descriptor', { providers: { acme: { apiKey: 'k' } } }],
    ['a key that would break its header', { providers: { dify: { apiKey: 'k\r\nx-evil: 1' } } }],
    ...(
      [
        ['an id with a slash', { id: 'a/b' }],
        ['an upper-case id', { id: 'Acme' }],
        ['an id that is a dot segment', { id: '..' }],
        ['a path without a leading slash', { endpoints: [{ path: 'v1/x', operation: 'speak', maxBytes: 1 }] }],
        ['a dot segment in a path', { endpoints: [{ path: '/v1/../x', operation: 'speak', maxBytes: 1 }] }],
        ['an empty segment in a path', { endpoints: [{ path: '/v1//x', operation: 'speak', maxBytes: 1 }] }],
        ['a half parameter in a path', { endpoints: [{ path: '/v1/{id/x', operation: 'speak', maxBytes: 1 }] }],
        ['a parameter twice in a path', { endpoints: [{ path: '/{a}/{a}', operation: 'speak', maxBytes: 1 }] }],
        ['a query in a path', { endpoints: [{ path: '/v1/x?a=1', operation: 'speak', maxBytes: 1 }] }],
        ['a bad query name', { endpoints: [{ path: '/x', operation: 'speak', maxBytes: 1, query: ['a&b'] }] }],
        ['a zero endpoint limit', { endpoints: [{ path: '/x', operation: 'speak', maxBytes: 0 }] }],
        ['a bad auth header name', { auth: { header: 'x key' } }],
        ['a line break in the auth prefix', { auth: { header: 'x-key', prefix: 'a\r\n' } }],
        ['forwarding cookies for a provider', { requestHeaders: ['cookie'] }],
        ['forwarding authorization for a provider', { requestHeaders: ['Authorization'] }],
        ['an end-user field with a quote', { endUserField: 'a"b' }],
      ] as [string, Partial<ProviderDescriptor>][]
    ).map(([name, change]): [string, Partial<VoiceProxyOptions>] => [
      `a descriptor with ${name}`,
      { custom: [{ descriptor: { ...customDescriptor, ...change } }] },
    ]),
  ] as [string, Partial<VoiceProxyOptions>][])('refuses %s at creation', (_name, options) => {
    expect(() => createVoiceProxy({ providers: {}, ...options })).toThrow(TypeError)
  })

  test('defaults to the providers public APIs, each overridable', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({
      providers: {
        dify: { apiKey: 'a' },
        livepeer: { apiKey: 'b' },
        fish: { apiKey: 'c' },
        openai: { apiKey: 'd', baseUrl: 'https://llm.internal/v1/' },
      },
      fetch,
    })
    for (const path of ['dify/audio-to-text', 'livepeer/audio-to-text', 'fish/v1/asr', 'openai/audio/transcriptions']) {
      expect((await handler(post(`/api/voice/${path}`))).status).toBe(200)
    }
    expect(calls.map((call) => call.url)).toEqual([
      'https://api.dify.ai/v1/audio-to-text',
      'https://dream-gateway.livepeer.cloud/audio-to-text',
      'https://api.fish.audio/v1/asr',
      'https://llm.internal/v1/audio/transcriptions',
    ])
    // 'error', not 'manual' or 'follow': with either of those, Node's fetch keeps a copy of the whole
    // upload in memory (pnpm bench proxy: "proxy live memory, upload" shows it growing).
    expect(calls[0]?.init).toMatchObject({ method: 'POST', redirect: 'error', duplex: 'half' })
    expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal)
  })

  test("each descriptor's key goes in its own auth header, to its default base URL", async () => {
    const { calls, fetch } = recording()
    const all = [...Object.values(providerDescriptors), customDescriptor]
    const handler = createVoiceProxy({
      providers: Object.fromEntries(Object.keys(providerDescriptors).map((id) => [id, { apiKey: `key-${id}` }])),
      custom: [{ descriptor: customDescriptor, apiKey: `key-${customDescriptor.id}` }],
      fetch,
    })
    for (const { id, endpoints } of all) {
      const path = endpoints[0]!.path.replace(/\{[^}]+\}/g, 'v1')
      expect(
        (await handler(post(`/api/voice/${id}${path}`, { headers: { 'content-type': 'application/json' } }))).status,
      ).toBe(200)
    }
    expect(calls).toHaveLength(all.length)
    all.forEach(({ id, defaultBaseUrl, endpoints, auth }, i) => {
      expect(calls[i]?.url).toBe(`${defaultBaseUrl}${endpoints[0]!.path.replace(/\{[^}]+\}/g, 'v1')}`)
      expect(calls[i]?.headers.get(auth.header)).toBe(`${auth.prefix ?? ''}key-${id}`)
    })
  })

  test("an app's descriptor with a built-in's id takes its place", async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({
      custom: [{ descriptor: { ...providerDescriptors.openai, auth: { header: 'api-key' } }, apiKey: 'k' }],
      fetch,
    })
    expect((await handler(post('/api/voice/openai/audio/speech'))).status).toBe(200)
    expect(calls[0]?.headers.get('api-key')).toBe('k')
    expect(calls[0]?.headers.get('authorization')).toBeNull()
  })

  test('a self-hosted provider without a key is forwarded without Authorization', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { openai: { baseUrl: 'http://127.0.0.1:9999/v1' } }, fetch })
    expect((await handler(post('/api/voice/openai/audio/speech'))).status).toBe(200)
    expect(calls[0]?.headers.get('authorization')).toBeNull()
  })

  test('basePath is normalised, and may be the root', async () => {
    const { calls, fetch } = recording()
    const nested = createVoiceProxy({ basePath: '/voice/', providers: { dify: { apiKey: 'k' } }, fetch })
    expect(nested.basePath).toBe('/voice')
    expect((await nested(post('/voice/dify/text-to-audio'))).status).toBe(200)
    expect((await nested(post('/api/voice/dify/text-to-audio'))).status).toBe(404)
    const root = createVoiceProxy({ basePath: '/', providers: { dify: { apiKey: 'k' } }, fetch })
    expect((await root(post('/dify/text-to-audio'))).status).toBe(200)
    expect(calls).toHaveLength(2)
  })
})

describe('requests', () => {
  test.each(['abc', '10, 10', '-1', '1e3', ' '])('a Content-Length of %j is refused with 400', async (value) => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, fetch })
    const request = post('/api/voice/dify/text-to-audio')
    // Request normally computes the length itself; a Node listener passes the client's header through.
    const headers = new Headers(request.headers)
    headers.set('content-length', value)
    const response = await handler(new Request(request, { headers }))
    expect(response.status).toBe(400)
    expect(response.headers.get(VOICE_ERROR_HEADER)).toBe('invalid_request')
    expect(calls).toEqual([])
  })

  test('forwardHeaders adds headers to forward and to the preflight', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({
      providers: { dify: { apiKey: 'k' } },
      forwardHeaders: ['X-Speech-Fault'],
      allowedOrigins: '*',
      fetch,
    })
    await handler(
      post('/api/voice/dify/text-to-audio', { headers: { 'x-speech-fault': 'status=500', 'x-other': '1' } }),
    )
    expect(calls[0]?.headers.get('x-speech-fault')).toBe('status=500')
    expect(calls[0]?.headers.get('x-other')).toBeNull()
    const preflight = await handler(
      new Request('https://app.example/api/voice/dify/text-to-audio', {
        method: 'OPTIONS',
        headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'POST' },
      }),
    )
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://anywhere.example')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, accept, x-speech-fault')
  })

  test('an OPTIONS request without Origin is answered with Allow', async () => {
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } } })
    const response = await handler(
      new Request('https://app.example/api/voice/dify/text-to-audio', { method: 'OPTIONS' }),
    )
    expect(response.status).toBe(204)
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('an origin predicate decides, and an opaque origin is refused by default', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({
      providers: { dify: { apiKey: 'k' } },
      allowedOrigins: (origin) => origin.endsWith('.trusted.example'),
      fetch,
    })
    const from = (origin: string) => handler(post('/api/voice/dify/text-to-audio', { headers: { origin } }))
    expect((await from('https://a.trusted.example')).status).toBe(200)
    expect((await from('https://trusted.example.evil')).status).toBe(403)
    const byDefault = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, fetch })
    const opaque = await byDefault(post('/api/voice/dify/text-to-audio', { headers: { origin: 'null' } }))
    expect(opaque.status).toBe(403)
    expect(calls).toHaveLength(1)
  })

  test('the user resolver applies to Dify only; undefined drops the client user without adding one', async () => {
    const { calls, fetch } = recording()
    let asked = 0
    const handler = createVoiceProxy({
      providers: { dify: { apiKey: 'k' }, openai: { apiKey: 'k' } },
      user: () => {
        asked++
        return undefined
      },
      fetch,
    })
    const json = (value: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) })
    await handler(post('/api/voice/openai/audio/speech', json({ input: 'hi', user: 'client' })))
    await handler(post('/api/voice/dify/text-to-audio', json({ text: 'hi', user: 'client' })))
    expect(asked).toBe(1)
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({ input: 'hi', user: 'client' })
    expect(JSON.parse(calls[1]?.body ?? '')).toEqual({ text: 'hi' })
  })

  test('with a user resolver, Dify bodies that cannot be rewritten are refused', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, user: () => 'u', fetch })
    const cases: [string, RequestInit][] = [
      ['/api/voice/dify/text-to-audio', { headers: { 'content-type': 'text/plain' }, body: 'hi' }],
      ['/api/voice/dify/text-to-audio', { headers: { 'content-type': 'application/json' }, body: '[1]' }],
      ['/api/voice/dify/text-to-audio', { headers: { 'content-type': 'application/json' }, body: '{bad' }],
      ['/api/voice/dify/audio-to-text', { headers: { 'content-type': 'audio/wav' }, body: 'RIFF' }],
    ]
    for (const [path, init] of cases) {
      const response = await handler(post(path, init))
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ status: 400, code: 'invalid_param' })
    }
    expect(calls).toEqual([])
  })

  test('a JSON body over the cap is refused while it is read for the user rewrite', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({
      providers: { dify: { apiKey: 'k' } },
      user: () => 'u',
      maxUploadBytes: 100,
      fetch,
    })
    const big = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"text":"${'a'.repeat(200)}"}`))
        controller.close()
      },
    })
    const response = await handler(
      post('/api/voice/dify/text-to-audio', {
        headers: { 'content-type': 'application/json' },
        body: big,
        duplex: 'half',
      } as RequestInit),
    )
    expect(response.status).toBe(413)
    expect(calls).toEqual([])
  })
})

describe('the host the browser addressed (Next.js, reverse proxies)', () => {
  // Inside a Next.js route handler `request.url` is always http://localhost:PORT; Host is passed through.
  const next = (headers: Record<string, string>, path = '/api/voice/dify/text-to-audio') =>
    new Request(`http://localhost:3000${path}`, { method: 'POST', body: '{"text":"hi"}', headers })

  test.each([
    ['a page at 127.0.0.1:3100', { host: '127.0.0.1:3100', origin: 'http://127.0.0.1:3100' }],
    ['a page behind TLS that ends in front', { host: 'app.example.com', origin: 'https://app.example.com' }],
    ['a default port written out', { host: 'app.example.com:443', origin: 'https://app.example.com' }],
    ['an IPv6 literal', { host: '[::1]:3100', origin: 'http://[::1]:3100' }],
  ])('the Host header decides, not request.url: %s', async (_name, headers) => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, fetch })
    const response = await handler(next(headers))
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(headers.origin)
    expect(calls).toHaveLength(1)
  })

  test.each([
    ['a foreign origin', { host: '127.0.0.1:3100', origin: 'https://evil.example' }],
    [
      "request.url's own host, when the browser addressed another",
      { host: '127.0.0.1:3100', origin: 'http://localhost:3000' },
    ],
    ['another port on the same host', { host: '127.0.0.1:3100', origin: 'http://127.0.0.1:3101' }],
    ['a Host header that is not a host', { host: 'evil.example/x', origin: 'http://evil.example' }],
    ['a non-HTTP origin on the same host', { host: 'app.example.com', origin: 'ftp://app.example.com' }],
    [
      'forwarded headers when the app has not said its proxy sets them',
      { host: '127.0.0.1:3100', origin: 'https://app.example.com', 'x-forwarded-host': 'app.example.com' },
    ],
  ])('refused with 403, nothing forwarded: %s', async (_name, headers) => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, fetch })
    const response = await handler(next(headers))
    expect(response.status).toBe(403)
    expect(response.headers.get(VOICE_ERROR_HEADER)).toBe('unauthorized')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(calls).toEqual([])
  })

  test('with trustForwardedHeaders, X-Forwarded-Host and -Proto decide (the first entry of a chain)', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, trustForwardedHeaders: true, fetch })
    const behind = (origin: string, forwarded: Record<string, string>) =>
      handler(next({ host: '127.0.0.1:3100', origin, ...forwarded })).then((response) => response.status)
    const proxied = { 'x-forwarded-host': 'app.example.com, 10.0.0.2', 'x-forwarded-proto': 'https, http' }
    expect(await behind('https://app.example.com', proxied)).toBe(200)
    expect(await behind('https://app.example.com', { 'x-forwarded-host': 'app.example.com' })).toBe(200)
    // The scheme the reverse proxy states is compared too.
    expect(await behind('http://app.example.com', proxied)).toBe(403)
    // The backend's own Host no longer counts once a forwarded host is stated.
    expect(await behind('http://127.0.0.1:3100', proxied)).toBe(403)
    expect(await behind('https://evil.example', proxied)).toBe(403)
    expect(
      await behind('https://evil.example', {
        'x-forwarded-host': 'app.example.com',
        'x-forwarded-proto': 'javascript',
      }),
    ).toBe(403)
    // Without forwarded headers (a direct request to the backend), the Host header still decides.
    expect(await behind('http://127.0.0.1:3100', {})).toBe(200)
    expect(calls).toHaveLength(3)
  })

  test("Next's catch-all query (?path=...) is accepted, and no query string ever reaches the provider", async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, fetch })
    for (const query of [
      '?path=dify&path=text-to-audio',
      '?user=mallory&redirect=http://evil.example',
      '?%zz=%',
      '?',
    ]) {
      const response = await handler(next({ host: 'localhost:3000' }, `/api/voice/dify/text-to-audio${query}`))
      expect(response.status).toBe(200)
    }
    expect(calls.map((call) => call.url)).toEqual(Array(4).fill('https://api.dify.ai/v1/text-to-audio'))
  })
})

describe('responses', () => {
  test('a body the runtime decoded loses its Content-Length and Content-Encoding', async () => {
    const { fetch } = recording(
      () =>
        new Response('decoded audio', {
          headers: { 'content-type': 'audio/mpeg', 'content-encoding': 'gzip', 'content-length': '5' },
        }),
    )
    const handler = createVoiceProxy({ providers: { openai: { apiKey: 'k' } }, fetch })
    const response = await handler(post('/api/voice/openai/audio/speech'))
    expect(response.headers.get('content-length')).toBeNull()
    expect(response.headers.get('content-encoding')).toBeNull()
    expect(await response.text()).toBe('decoded audio')
  })

  test('the upstream is asked for an identity encoding, with the key and no client credentials', async () => {
    const { calls, fetch } = recording()
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'sk-x' } }, fetch })
    await handler(
      post('/api/voice/dify/text-to-audio', {
        headers: { authorization: 'Bearer client', cookie: 'a=b', 'content-type': 'application/json' },
      }),
    )
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer sk-x')
    expect(calls[0]?.headers.get('accept-encoding')).toBe('identity')
    expect(calls[0]?.headers.get('cookie')).toBeNull()
  })

  test('a 204 from the provider passes without a body', async () => {
    const { fetch } = recording(() => new Response(null, { status: 204 }))
    const handler = createVoiceProxy({ providers: { dify: { apiKey: 'k' } }, fetch })
    const response = await handler(post('/api/voice/dify/text-to-audio'))
    expect(response.status).toBe(204)
    expect(response.body).toBeNull()
  })
})
