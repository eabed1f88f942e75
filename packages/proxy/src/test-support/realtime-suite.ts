// The real-time relay and the token routes over real sockets, once per host (node:http, Vite, workerd):
// a `ws` client plays the browser, a `ws` server plays the provider and records exactly what reached it.
// Every limit is small in its own variant, so that a test reaches it by events, never by elapsed time.
import { createHash } from 'node:crypto'
import { VOICE_ERROR_HEADER } from '@voicekit/core/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { RELAY_CLOSE_CODES } from '../relay/session'
import { bytes } from './client'
import { mustOpen, mustRefuse, type Opened } from './realtime-client'
import {
  BYTES_CAP,
  FRAME_CAP,
  HANDSHAKE_MS,
  IDLE_MS,
  liveDescriptor,
  RT_KEYS,
  RT_ORIGIN,
  realtimeConfig,
  SESSION_MS,
} from './realtime-config'
import type { RealtimeHost, RunningHost } from './realtime-hosts'
import { type SocketUpstream, startSocketUpstream, type UpstreamSession } from './realtime-upstream'
import { closedPort, waitFor } from './upstream'

const OPENAI = '/openai/realtime'
const ELEVENLABS = '/elevenlabs/v1/speech-to-text/realtime'
const live = (room: string) => `/acme-live/v1/live/${room}`
const browser = { origin: RT_ORIGIN }
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

/** No canary key anywhere in what the browser got. */
function expectNoKey(...texts: string[]) {
  for (const text of texts)
    for (const key of Object.values(RT_KEYS)) expect(text, 'a key reached the browser').not.toContain(key)
}

export function defineRealtimeSuite(host: RealtimeHost) {
  let upstream: SocketUpstream
  let proxy: RunningHost
  let base: string

  beforeAll(async () => {
    upstream = await startSocketUpstream()
    proxy = await host.start(realtimeConfig(upstream.url, await closedPort()))
    base = proxy.url
  }, 60_000)

  afterAll(async () => {
    await proxy?.close()
    await upstream?.close()
  })

  /** The upstream session a browser socket opened just now. */
  async function sessionAfter(before: number): Promise<UpstreamSession> {
    await waitFor(() => upstream.sessions.length > before, 5_000, 'the upstream session')
    return upstream.sessions[before] as UpstreamSession
  }

  /** Runs `action` and checks that the provider saw no connection at all (not even a TCP one). */
  async function withoutUpstream(action: () => Promise<void>) {
    const before = upstream.connections()
    await action()
    // A stray upstream connection would have landed by now.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(upstream.connections(), 'the provider was contacted').toBe(before)
  }

  async function open(path: string, options: Parameters<typeof mustOpen>[1] = browser) {
    const before = upstream.sessions.length
    const socket = await mustOpen(`${base}${path}`, options)
    return { socket, upstream: await sessionAfter(before) }
  }

  describe('the handshake', () => {
    test("OpenAI in transcription mode only: the key added, the browser's credentials, query and key subprotocol dropped", async () => {
      const { socket, upstream: seen } = await open(
        `/api/voice${OPENAI}?intent=conversation&model=gpt-realtime&call_id=c1`,
        {
          origin: RT_ORIGIN,
          protocols: ['openai-insecure-api-key.ek_browser_secret', 'realtime'],
          headers: { cookie: 'session=abc', authorization: 'Bearer browser-token', 'x-api-key': 'browser-key' },
        },
      )
      expect(seen.url).toBe(`${OPENAI}?intent=transcription`)
      expect(seen.headers.authorization).toBe(`Bearer ${RT_KEYS.openai}`)
      for (const name of ['cookie', 'origin', 'x-api-key', 'x-forwarded-for', 'referer']) {
        expect(seen.headers[name], name).toBeUndefined()
      }
      expect(seen.offered).toEqual(['realtime'])
      expect(socket.protocol).toBe('realtime')
      expectNoKey(JSON.stringify(socket.headers))
      socket.ws.close(1000)
      await socket.closed
    })

    test('ElevenLabs: its own query parameters pass re-encoded, a browser token and anything else never', async () => {
      const query =
        'model_id=scribe_v2_realtime&audio_format=pcm_16000&commit_strategy=vad&language_code=en&include_timestamps=true&token=browser-token&keyterms=a&xi-api-key=x'
      const { socket, upstream: seen } = await open(`/api/voice${ELEVENLABS}?${query}`)
      expect(seen.url).toBe(
        `${ELEVENLABS}?model_id=scribe_v2_realtime&audio_format=pcm_16000&commit_strategy=vad&language_code=en&include_timestamps=true`,
      )
      expect(seen.headers['xi-api-key']).toBe(RT_KEYS.elevenlabs)
      expect(seen.headers.authorization).toBeUndefined()
      expect(socket.protocol).toBe('')
      socket.ws.close(1000)
      await socket.closed
    })

    test("a provider of the app's own: its path parameter, its fixed query over the browser's, its subprotocol", async () => {
      const { socket, upstream: seen } = await open(`/api/voice${live('room_1')}?lang=en&mode=speak&other=1`, {
        origin: RT_ORIGIN,
        protocols: ['acme.v1', 'bearer', 'acme-token.secret'],
      })
      expect(seen.url).toBe(`${live('room_1')}?lang=en&mode=listen`)
      expect(seen.headers['x-acme-key']).toBe(`Key ${RT_KEYS['acme-live']}`)
      expect(seen.offered).toEqual(['acme.v1'])
      expect(socket.protocol).toBe('acme.v1')
      socket.ws.close(1000)
      await socket.closed
    })

    test("a foreign origin is refused with 403, in the provider's shape, before any upstream connection", async () => {
      await withoutUpstream(async () => {
        const refused = await mustRefuse(`${base}/api/voice${OPENAI}`, { origin: 'https://evil.example' })
        expect(refused.status).toBe(403)
        expect(refused.headers[VOICE_ERROR_HEADER]).toBe('unauthorized')
        expect(JSON.parse(refused.body).error.code).toBe('forbidden')
        const own = await mustRefuse(`${base}/api/voice${live('room_2')}`, { origin: 'https://evil.example' })
        expect(JSON.parse(own.body).fault.status).toBe(403)
        // The default policy: the host the browser addressed, and no other.
        const elsewhere = await mustRefuse(`${base}/same-host${OPENAI}`, { origin: 'https://evil.example' })
        expect(elsewhere.status).toBe(403)
      })
      const { socket } = await open(`/same-host${OPENAI}`, { origin: base, protocols: ['realtime'] })
      socket.ws.close(1000)
      await socket.closed
    })

    test('unknown paths, HTTP routes and token routes are refused with 404 and never reach the provider', async () => {
      await withoutUpstream(async () => {
        for (const path of [
          `/api/voice${OPENAI}x`,
          `/api/voice${OPENAI}/`,
          '/api/voice/openai/%72ealtime',
          '/api/voice/openai/audio/speech',
          '/api/voice/openai/realtime/client_secrets',
          '/api/voice/acme-live/v1/live/a.b',
          '/api/voice/nobody/realtime',
        ]) {
          const refused = await mustRefuse(`${base}${path}`, browser)
          expect(refused.status, path).toBe(404)
        }
      })
    })

    test('a repeated or odd query value, or a malformed subprotocol list, is refused with 400', async () => {
      await withoutUpstream(async () => {
        expect(
          (await mustRefuse(`${base}/api/voice${ELEVENLABS}?language_code=en&language_code=de`, browser)).status,
        ).toBe(400)
        expect((await mustRefuse(`${base}/api/voice${ELEVENLABS}?language_code=%0d%0a`, browser)).status).toBe(400)
        const duplicate = await mustRefuse(`${base}/api/voice${OPENAI}`, {
          ...browser,
          headers: { 'sec-websocket-protocol': 'realtime, realtime' },
        })
        expect(duplicate.status).toBe(400)
      })
    })

    test("no key configured: the provider's not-configured answer, nothing contacted", async () => {
      await withoutUpstream(async () => {
        const refused = await mustRefuse(`${base}/none${OPENAI}`, browser)
        expect(refused.status).toBe(503)
        expect(refused.headers[VOICE_ERROR_HEADER]).toBe('provider_misconfigured')
        expect(refused.body).toContain('OPENAI_API_KEY')
      })
    })

    test("the user gate: without a session 401 in the provider's shape, before the provider; with one, relayed", async () => {
      await withoutUpstream(async () => {
        const refused = await mustRefuse(`${base}/user${OPENAI}`, browser)
        expect(refused.status).toBe(401)
        expect(JSON.parse(refused.body).error.code).toBe('unauthorized')
      })
      const { socket } = await open(`/user${OPENAI}`, { ...browser, headers: { cookie: 'session=ada' } })
      socket.ws.close(1000)
      await socket.closed
    })

    test("the provider refusing the handshake: the browser's socket closes with 4000 + its status and its words, never the key", async () => {
      upstream.when('/live/refused_401', {
        kind: 'refuse',
        status: 401,
        body: JSON.stringify({ error: { message: `Incorrect API key provided: ${RT_KEYS['acme-live']}.` } }),
      })
      const socket = await mustOpen(`${base}/api/voice${live('refused_401')}`, browser)
      const closed = await socket.closed
      expect(closed.code).toBe(4401)
      expect(closed.reason).toContain('Acme Live: Incorrect API key provided')
      expectNoKey(closed.reason)
      upstream.when('/live/refused_429', {
        kind: 'refuse',
        status: 429,
        body: '{"detail":{"message":"Too many sessions"}}',
      })
      const limited = await (await mustOpen(`${base}/api/voice${live('refused_429')}`, browser)).closed
      expect(limited).toEqual({ code: 4429, reason: 'Acme Live: Too many sessions' })
    })

    test('a provider answering with a redirect (never followed) is 4502; one that never completes its handshake 4504', async () => {
      upstream.when('/live/moved', { kind: 'refuse', status: 302, body: '' })
      const moved = await (await mustOpen(`${base}/api/voice${live('moved')}`, browser)).closed
      expect(moved.code).toBe(RELAY_CLOSE_CODES.unreachable)
      expect(moved.reason).toContain('redirect')
      upstream.when('/live/hang', { kind: 'hang' })
      const hung = await (await mustOpen(`${base}/slow${live('hang')}`, browser)).closed
      expect(hung.code).toBe(RELAY_CLOSE_CODES.upstreamTimeout)
      expect(hung.reason).toContain(`within ${HANDSHAKE_MS} ms`)
    })

    test('a provider that cannot be reached: the browser is told so with 4502', async () => {
      const socket = await mustOpen(`${base}/down${OPENAI}`, browser)
      const closed = await socket.closed
      expect(closed.code).toBe(RELAY_CLOSE_CODES.unreachable)
      expect(closed.reason).toContain('could not be reached')
    })
  })

  describe('the session', () => {
    test('messages pass both ways in order, each keeping its type (text or binary)', async () => {
      const { socket, upstream: seen } = await open(`/api/voice${live('types')}`)
      const audio = bytes(3000, 7)
      socket.ws.send('{"type":"input_audio_buffer.append","audio":"AAAA"}')
      socket.ws.send(audio)
      socket.ws.send('héllo ✓')
      const echoed = [await socket.next(), await socket.next(), await socket.next()]
      expect(seen.frames.map((frame) => frame.binary)).toEqual([false, true, false])
      expect(seen.frames[1]?.data.equals(Buffer.from(audio))).toBe(true)
      expect(seen.frames[2]?.data.toString()).toBe('héllo ✓')
      expect(echoed.map((message) => message.binary)).toEqual([false, true, false])
      expect(echoed[0]?.data.toString()).toBe('{"type":"input_audio_buffer.append","audio":"AAAA"}')
      expect(sha(echoed[1]?.data as Buffer)).toBe(sha(audio))
      expectNoKey(...echoed.map((message) => message.data.toString('latin1')))
      socket.ws.close(1000)
      await socket.closed
    })

    test("a browser's message over the frame cap closes both sides with 1009, and never reaches the provider", async () => {
      const { socket, upstream: seen } = await open(`/frame${live('big_in')}`)
      socket.ws.send('x'.repeat(100))
      await socket.next()
      socket.ws.send('y'.repeat(FRAME_CAP + 1))
      expect((await socket.closed).code).toBe(1009)
      expect((await seen.whenClosed).code).toBe(1009)
      expect(seen.frames.map((frame) => frame.data.length)).toEqual([100])
    })

    test("a provider's message over the frame cap closes both sides with 1009, and never reaches the browser", async () => {
      upstream.when('/live/big_out', {
        kind: 'accept',
        echo: false,
        onOpen: (session) => {
          session.ws.send('small')
          session.ws.send(Buffer.from(bytes(FRAME_CAP + 1)), { binary: true })
        },
      })
      const { socket, upstream: seen } = await open(`/frame${live('big_out')}`)
      const closed = await socket.closed
      expect(closed.code).toBe(1009)
      expect(closed.reason).toContain('The provider sent a message over')
      expect((await seen.whenClosed).code).toBe(1009)
      expect(socket.messages.map((message) => message.data.toString())).toEqual(['small'])
    })

    test('the total-bytes cap ends the session with 4413 on both sides; the provider gets at most the cap', async () => {
      const { socket, upstream: seen } = await open(`/bytes${live('bytes')}`)
      let closed: { code: number; reason: string } | undefined
      void socket.closed.then((value) => {
        closed = value
      })
      for (let round = 0; round < 10 && !closed; round++) {
        socket.ws.send(Buffer.from(bytes(500, round + 1)))
        await Promise.race([socket.next(), socket.closed])
      }
      expect((await socket.closed).code).toBe(RELAY_CLOSE_CODES.tooManyBytes)
      expect((await seen.whenClosed).code).toBe(RELAY_CLOSE_CODES.tooManyBytes)
      const received = seen.frames.reduce((sum, frame) => sum + frame.data.length, 0)
      expect(received).toBeGreaterThan(0)
      expect(received).toBeLessThanOrEqual(BYTES_CAP)
    })

    test(`a session where nothing is said either way for idleTimeoutMs (${IDLE_MS} ms here) is closed with 4408`, async () => {
      const { socket, upstream: seen } = await open(`/idle${live('idle')}`)
      const closed = await socket.closed
      expect(closed.code).toBe(RELAY_CLOSE_CODES.idle)
      expect(closed.reason).toContain('Idle')
      expect((await seen.whenClosed).code).toBe(RELAY_CLOSE_CODES.idle)
    })

    test(`a session that reaches maxSessionMs (${SESSION_MS} ms here) is closed with 4410 on both sides`, async () => {
      const { socket, upstream: seen } = await open(`/short${live('long')}`)
      const closed = await socket.closed
      expect(closed.code).toBe(RELAY_CLOSE_CODES.sessionTooLong)
      expect(closed.reason).toContain('limit')
      expect((await seen.whenClosed).code).toBe(RELAY_CLOSE_CODES.sessionTooLong)
    })

    test('close codes travel both ways: the provider closing 4001 reaches the browser, the browser closing 1000 the provider', async () => {
      upstream.when('/live/bye', {
        kind: 'accept',
        echo: false,
        onOpen: (session) => session.ws.once('message', () => session.ws.close(4001, 'session over')),
      })
      const first = await open(`/api/voice${live('bye')}`)
      first.socket.ws.send('commit')
      expect(await first.socket.closed).toEqual({ code: 4001, reason: 'session over' })

      const second = await open(`/api/voice${live('done')}`)
      second.socket.ws.close(1000, 'finished')
      expect(await second.upstream.whenClosed).toEqual({ code: 1000, reason: 'finished' })
      expect((await second.socket.closed).code).toBe(1000)
    })

    test('a close without a code reaches the other side as 1000; a vanished side as 1001 (browser) or 4502 (provider)', async () => {
      const quiet = await open(`/api/voice${live('no_code')}`)
      quiet.socket.ws.close()
      expect((await quiet.upstream.whenClosed).code).toBe(1000)

      const gone = await open(`/api/voice${live('gone')}`)
      gone.socket.ws.terminate()
      expect((await gone.upstream.whenClosed).code).toBe(1001)

      const dropped = await open(`/api/voice${live('dropped')}`)
      dropped.upstream.ws.terminate()
      const closed = await dropped.socket.closed
      expect(closed.code).toBe(RELAY_CLOSE_CODES.unreachable)
      expect(closed.reason).toContain('lost')
    })

    test('a provider that stops reading: nothing is lost, the messages arrive whole and in order once it reads again', async () => {
      upstream.when('/live/slow', { kind: 'accept', echo: false, onOpen: (session) => session.ws.pause() })
      const { socket, upstream: seen } = await open(`/api/voice${live('slow')}`)
      const frames = Array.from({ length: 96 }, (_, i) => bytes(60 * 1024, i + 1))
      for (const frame of frames) socket.ws.send(frame)
      seen.ws.resume()
      await waitFor(() => seen.frames.length === frames.length, 20_000, 'every frame upstream')
      expect(seen.frames.map((frame) => sha(frame.data))).toEqual(frames.map(sha))
      expect(seen.frames.every((frame) => frame.binary)).toBe(true)
      socket.ws.close(1000)
      await socket.closed
    })
  })

  describe('token routes', () => {
    const post = (path: string, init: { headers?: Record<string, string>; body?: string; method?: string } = {}) =>
      fetch(`${base}${path}`, {
        method: init.method ?? 'POST',
        headers: { origin: RT_ORIGIN, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      })

    test("OpenAI: the server's transcription session and the key are sent, nothing of the browser's; the answer is no-store", async () => {
      const before = upstream.tokens.length
      const res = await post('/api/voice/openai/realtime/client_secrets', {
        headers: { 'content-type': 'application/json', cookie: 'session=abc', authorization: 'Bearer browser' },
        body: JSON.stringify({
          session: { type: 'realtime', model: 'gpt-realtime' },
          expires_after: { seconds: 7200 },
        }),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('access-control-allow-origin')).toBe(RT_ORIGIN)
      expect((await res.json()).value).toBe('ek_test_secret')
      expect(upstream.tokens.length).toBe(before + 1)
      const seen = upstream.tokens[before]
      expect(seen?.method).toBe('POST')
      expect(seen?.url).toBe('/openai/realtime/client_secrets')
      expect(seen?.headers.authorization).toBe(`Bearer ${RT_KEYS.openai}`)
      expect(seen?.headers.cookie).toBeUndefined()
      expect(seen?.headers.origin).toBeUndefined()
      expect(seen?.headers['content-type']).toBe('application/json')
      expect(JSON.parse(seen?.body.toString() ?? '')).toEqual({
        expires_after: { anchor: 'created_at', seconds: 120 },
        session: { type: 'transcription' },
      })
    })

    test('ElevenLabs: an empty POST with xi-api-key; a custom descriptor: its own fixed body and auth', async () => {
      const before = upstream.tokens.length
      const eleven = await post('/api/voice/elevenlabs/v1/single-use-token/realtime_scribe', { body: 'ignored' })
      expect(eleven.status).toBe(200)
      expect(eleven.headers.get('cache-control')).toBe('no-store')
      const custom = await post('/api/voice/acme-live/v1/live-token?scope=speak', { body: '{"scope":"speak"}' })
      expect(custom.status).toBe(200)
      const [first, second] = upstream.tokens.slice(before)
      expect(first?.url).toBe('/elevenlabs/v1/single-use-token/realtime_scribe')
      expect(first?.headers['xi-api-key']).toBe(RT_KEYS.elevenlabs)
      expect(first?.body.length).toBe(0)
      expect(first?.headers['content-type']).toBeUndefined()
      expect(second?.url).toBe('/acme-live/v1/live-token')
      expect(second?.headers['x-acme-key']).toBe(`Key ${RT_KEYS['acme-live']}`)
      expect(second?.body.toString()).toBe(JSON.stringify(liveDescriptor.tokens?.[0]?.fixedBody))
    })

    test('a foreign origin gets 403 and no token; the user gate 401; both in the provider shape, no-store', async () => {
      const before = upstream.tokens.length
      const foreign = await post('/api/voice/openai/realtime/client_secrets', {
        headers: { origin: 'https://evil.example' },
      })
      expect(foreign.status).toBe(403)
      expect(foreign.headers.get('cache-control')).toBe('no-store')
      expect((await foreign.json()).error.code).toBe('forbidden')
      const anonymous = await post('/user/elevenlabs/v1/single-use-token/realtime_scribe')
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('cache-control')).toBe('no-store')
      expect((await anonymous.json()).detail.status).toBe('unauthorized')
      expect(upstream.tokens.length).toBe(before)
      const known = await post('/user/elevenlabs/v1/single-use-token/realtime_scribe', {
        headers: { cookie: 'session=ada' },
      })
      expect(known.status).toBe(200)
      expect(upstream.tokens.length).toBe(before + 1)
    })

    test("the provider's errors pass through as they are, in its shape, never stored", async () => {
      const body = JSON.stringify({
        error: { message: 'Invalid session type', type: 'invalid_request_error', code: 'bad' },
      })
      upstream.nextToken({ status: 400, body })
      const res = await post('/api/voice/openai/realtime/client_secrets')
      expect(res.status).toBe(400)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get(VOICE_ERROR_HEADER)).toBeNull()
      expect(await res.text()).toBe(body)
    })

    test('other methods 405, a body over the route limit 413, a preflight 204, without a request upstream', async () => {
      const before = upstream.tokens.length
      expect((await post('/api/voice/openai/realtime/client_secrets', { method: 'GET' })).status).toBe(405)
      const large = await post('/api/voice/openai/realtime/client_secrets', { body: 'x'.repeat(20 * 1024) })
      expect(large.status).toBe(413)
      const preflight = await fetch(`${base}/api/voice/openai/realtime/client_secrets`, {
        method: 'OPTIONS',
        headers: { origin: RT_ORIGIN, 'access-control-request-method': 'POST' },
      })
      // (Vite's dev server answers preflights with its own CORS middleware, ahead of any plugin's.)
      expect(preflight.status).toBe(204)
      expect(upstream.tokens.length).toBe(before)
    })

    test('a socket route asked for over plain HTTP: 426, naming the token route', async () => {
      const res = await post(`/api/voice${OPENAI}`, { body: '{}' })
      expect(res.status).toBe(426)
      // (workerd drops the hop-by-hop `upgrade` header of such an answer; Node keeps it.)
      expect((await res.json()).error.message).toContain('/api/voice/openai/realtime/client_secrets')
    })
  })
}

export type { Opened }
