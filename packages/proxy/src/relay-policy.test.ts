// The real-time policy where no relay runs, and at the edges of the Node relay: descriptors with sockets
// and token routes checked when the proxy is created, the limits a plan carries by default, the 426 a
// socket route answers where nothing can hold a socket (Node's Fetch path, a Next.js route handler), and
// what toUpgradeListener leaves alone or refuses before the provider is contacted.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { type ProviderDescriptor, VOICE_ERROR_HEADER } from '@voicekit/core/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createVoiceProxy } from './handler'
import { toNodeListener } from './node'
import { createPolicy, DEFAULT_RELAY_LIMITS } from './plan'
import { toUpgradeListener } from './relay/node'
import { mustOpen, openSocket } from './test-support/realtime-client'
import { liveDescriptor } from './test-support/realtime-config'
import { type SocketUpstream, startSocketUpstream } from './test-support/realtime-upstream'
import { waitFor } from './test-support/upstream'

const socketOf = (socket: Partial<NonNullable<ProviderDescriptor['sockets']>[number]>): ProviderDescriptor => ({
  ...liveDescriptor,
  sockets: [{ path: '/v1/live', operation: 'transcribe-stream', maxFrameBytes: 1024, ...socket }],
  tokens: [],
})

describe('descriptors with sockets and token routes', () => {
  test.each([
    ['a socket path without a leading slash', socketOf({ path: 'v1/live' })],
    ['a dot segment in a socket path', socketOf({ path: '/v1/../live' })],
    ['a zero frame cap', socketOf({ maxFrameBytes: 0 })],
    ['a bad query name', socketOf({ query: ['a&b'] })],
    ['a fixed query the browser may also set', socketOf({ query: ['mode'], fixedQuery: { mode: 'listen' } })],
    ['a fixed query value that is not plain', socketOf({ fixedQuery: { mode: 'a b' } })],
    ['a credential subprotocol', socketOf({ subprotocols: ['openai-insecure-api-key'] })],
    ['a bearer marker subprotocol', socketOf({ subprotocols: ['bearer'] })],
    ['a subprotocol that is not a token', socketOf({ subprotocols: ['a b'] })],
    ['an unknown socket operation', socketOf({ operation: 'speak' as 'transcribe-stream' })],
    [
      'a token route whose body is not JSON',
      { ...liveDescriptor, tokens: [{ path: '/t', operation: 'token' as const, maxBytes: 1, fixedBody: 1n }] },
    ],
    ['a zero token limit', { ...liveDescriptor, tokens: [{ path: '/t', operation: 'token' as const, maxBytes: 0 }] }],
    [
      'two routes at one path',
      {
        ...liveDescriptor,
        tokens: [{ path: '/v1/live/{other}', operation: 'token' as const, maxBytes: 10 }],
      },
    ],
  ])('%s is refused when the proxy is created', (_name, descriptor) => {
    expect(() => createVoiceProxy({ custom: [{ descriptor, apiKey: 'k' }] })).toThrow(TypeError)
  })

  test.each([
    ['maxSessionMs', { maxSessionMs: 0 }],
    ['maxBytes', { maxBytes: -1 }],
    ['idleTimeoutMs', { idleTimeoutMs: Number.NaN }],
    ['maxFrameBytes', { maxFrameBytes: 0 }],
  ])('a non-positive relay.%s is refused when the proxy is created', (_name, relay) => {
    expect(() => createVoiceProxy({ relay })).toThrow(TypeError)
  })

  test("a plan's limits: OpenAI's 60 minutes, 256 MiB, a minute of silence, the descriptor's frame cap, timeoutMs for the handshake", async () => {
    const policy = createPolicy({ providers: { openai: { apiKey: 'sk-x' } } })
    const decision = await policy.decideUpgrade(
      new Request('http://app.example/api/voice/openai/realtime?model=x', { headers: { upgrade: 'websocket' } }),
    )
    if (decision.kind !== 'relay') throw new Error('expected a relay plan')
    expect(decision.plan).toMatchObject({
      url: 'wss://api.openai.com/v1/realtime?intent=transcription',
      headers: { authorization: 'Bearer sk-x' },
      maxSessionMs: 3_600_000,
      maxBytes: 256 * 1024 * 1024,
      idleTimeoutMs: 60_000,
      maxFrameBytes: 16 * 1024 * 1024,
      connectTimeoutMs: 60_000,
    })
    expect(DEFAULT_RELAY_LIMITS).toEqual({
      maxSessionMs: 3_600_000,
      maxBytes: 256 * 1024 * 1024,
      idleTimeoutMs: 60_000,
    })
    const eleven = await createPolicy({ providers: { elevenlabs: { apiKey: 'xi' } } }).decideUpgrade(
      new Request('http://app.example/api/voice/elevenlabs/v1/speech-to-text/realtime', {
        headers: { upgrade: 'websocket' },
      }),
    )
    expect(eleven.kind === 'relay' && eleven.plan.url).toBe('wss://api.elevenlabs.io/v1/speech-to-text/realtime')
  })
})

describe('where nothing can hold a socket', () => {
  const upgrade = { upgrade: 'websocket', connection: 'Upgrade', origin: 'http://app.example', host: 'app.example' }

  test('the Fetch handler on Node (a Next.js route handler) answers 426, naming the token route and the relay', async () => {
    const handler = createVoiceProxy({ providers: { openai: { apiKey: 'sk-x' }, elevenlabs: { apiKey: 'xi' } } })
    const res = await handler(new Request('http://app.example/api/voice/openai/realtime', { headers: upgrade }))
    expect(res.status).toBe(426)
    expect(res.headers.get('upgrade')).toBe('websocket')
    expect(res.headers.get(VOICE_ERROR_HEADER)).toBe('invalid_request')
    const { message, code } = (await res.json()).error
    expect(code).toBe('upgrade_required')
    expect(message).toContain('/api/voice/openai/realtime/client_secrets')
    expect(message).toContain('toUpgradeListener')
    const eleven = await handler(
      new Request('http://app.example/api/voice/elevenlabs/v1/speech-to-text/realtime', { headers: upgrade }),
    )
    expect((await eleven.json()).detail.message).toContain('/api/voice/elevenlabs/v1/single-use-token/realtime_scribe')
    // A socket with no token route says so.
    const own = createVoiceProxy({ custom: [{ descriptor: socketOf({}), apiKey: 'k' }] })
    const answer = await own(new Request('http://app.example/api/voice/acme-live/v1/live', { headers: upgrade }))
    expect(answer.status).toBe(426)
    expect((await answer.json()).fault.message).toContain('no token route')
  })

  test.each(['node', 'fetch'] as const)(
    'toNodeListener alone (io: %s) answers an upgrade with 426, never upgraded',
    async (io) => {
      const listener = toNodeListener(createVoiceProxy({ providers: { openai: { apiKey: 'sk-x' } } }), { io })
      const server = createServer((req, res) => listener(req, res))
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        const result = await openSocket(`${url}/api/voice/openai/realtime`, { origin: url })
        expect(result.kind).toBe('refused')
        expect(result.kind === 'refused' && result.status).toBe(426)
      } finally {
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      }
    },
  )
})

describe('toUpgradeListener at its edges', () => {
  let upstream: SocketUpstream
  let server: Server
  let url: string
  let passedOn: string[]

  beforeAll(async () => {
    upstream = await startSocketUpstream()
    const relay = toUpgradeListener(
      createVoiceProxy({ providers: { openai: { apiKey: 'sk-x', baseUrl: `${upstream.url}/v1` } } }),
    )
    passedOn = []
    server = createServer((_req, res) => res.end())
    server.on('upgrade', (req, socket, head) =>
      relay(req, socket, head, () => {
        passedOn.push(req.url ?? '')
        socket.end('HTTP/1.1 418 Not Ours\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')
      }),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await upstream.close()
  })

  test('a handler not made by createVoiceProxy is refused', () => {
    const plain = Object.assign(async () => new Response(), { basePath: '/api/voice' })
    expect(() => toUpgradeListener(plain)).toThrow(TypeError)
  })

  test("upgrades outside basePath go to next() (or are left to the server's other listeners), untouched", async () => {
    const result = await openSocket(`${url}/hmr?token=1`, { origin: url })
    expect(result.kind === 'refused' && result.status).toBe(418)
    const lookalike = await openSocket(`${url}/api/voicex/openai/realtime`, { origin: url })
    expect(lookalike.kind === 'refused' && lookalike.status).toBe(418)
    expect(passedOn).toEqual(['/hmr?token=1', '/api/voicex/openai/realtime'])
    expect(upstream.connections()).toBe(0)
  })

  test('a malformed handshake (key, version) or a path the URL parser would rewrite is refused before the provider', async () => {
    const exchange = (request: string) =>
      new Promise<string>((resolve) => {
        const { port } = new URL(url)
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(request))
        let text = ''
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1')
        })
        socket.on('close', () => resolve(text))
        socket.on('error', () => resolve(text))
      })
    const head = (path: string, key: string, version = '13') =>
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`
    expect(await exchange(head('/api/voice/openai/realtime', 'short'))).toMatch(/^HTTP\/1\.1 400 /)
    const version = await exchange(head('/api/voice/openai/realtime', 'dGhlIHNhbXBsZSBub25jZQ==', '12'))
    expect(version).toMatch(/^HTTP\/1\.1 426 /)
    expect(version.toLowerCase()).toContain('sec-websocket-version: 13')
    expect(await exchange(head('/api/voice/openai/x/../realtime', 'dGhlIHNhbXBsZSBub25jZQ=='))).toMatch(
      /^HTTP\/1\.1 404 /,
    )
    expect(upstream.connections()).toBe(0)
  })

  test('a client that is not a browser (no Origin) is relayed: the check stops other sites, it is not authentication', async () => {
    const socket = await mustOpen(`${url}/api/voice/openai/realtime`)
    await waitFor(() => upstream.sessions.length === 1, 5_000, 'the upstream session')
    expect(upstream.sessions[0]?.url).toBe('/v1/realtime?intent=transcription')
    socket.ws.close(1000)
    await socket.closed
  })
})
