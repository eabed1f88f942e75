// The speech session in Node: a fake player (audio output is a browser API) and the Dify speaker
// over real HTTP to a server in the test, checking the requests that went out.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { VoiceError } from '../../errors'
import { createDifySpeaker } from '../../providers/dify'
import { fakePlayer } from '../../test-support/fakes'
import { reply, useTestServer } from '../../test-support/http'
import type { SpeechTransport } from '../../transport/types'
import type { VoiceRequest } from '../kernel'
import { cached, clearSpeechCache, remember } from './cache'
import { createSpeechSession, type SpeechOptions } from './session'

const server = useTestServer({})
const mp3 = new Uint8Array(3000).map((_, i) => (i * 7) % 256)
const dify = () => createDifySpeaker({ baseUrl: server.url })

function answerAudio(bytes = mp3) {
  server.handle((_request, response) => {
    response.writeHead(200, { 'content-type': 'audio/mpeg' })
    response.end(bytes)
  })
}

function setup(options: Partial<SpeechOptions> = {}) {
  const player = fakePlayer()
  const session = createSpeechSession({ transport: dify(), ...options }, player)
  return { session, player }
}

const body = (index: number) => JSON.parse(server.received[index]!.body.toString())

afterEach(() => clearSpeechCache())

describe('speech session', () => {
  test('speak(text) → one request → the player gets the bytes → done', async () => {
    answerAudio()
    const { session, player } = setup({ voice: 'alloy' })
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', request: { status: 'idle', isPending: false } })
    expect(await session.speak('Hello there')).toBeUndefined()
    expect(server.received).toHaveLength(1)
    expect(server.received[0]!.url).toBe('/text-to-audio')
    expect(body(0)).toMatchObject({ text: 'Hello there', voice: 'alloy', streaming: true })
    expect(player.played).toEqual([mp3])
    expect(session.getSnapshot()).toMatchObject({
      status: 'done',
      request: { status: 'success', isPending: false, error: null },
    })
  })

  test('replaying the same (voice, text) plays from the cache; another voice, cache: false or a cleared cache request again', async () => {
    answerAudio()
    const { session, player } = setup()
    await session.speak('Once')
    await session.speak('Once')
    expect(server.received).toHaveLength(1)
    expect(player.played).toEqual([mp3, mp3])
    await session.speak({ text: 'Once', voice: 'kal16' })
    expect(server.received).toHaveLength(2)
    expect(body(1).voice).toBe('kal16')
    clearSpeechCache()
    await session.speak('Once')
    expect(server.received).toHaveLength(3)

    const uncached = setup({ cache: false })
    await uncached.session.speak('Once')
    await uncached.session.speak('Once')
    expect(server.received).toHaveLength(5)
  })

  test('a messageId is spoken by id (Dify)', async () => {
    answerAudio()
    const { session } = setup()
    await session.speak({ text: '', messageId: 'm-1' })
    expect(body(0)).toMatchObject({ message_id: 'm-1' })
  })

  test('a failed request resolves with its VoiceError: status error, request error, nothing cached', async () => {
    server.handle((_request, response) => reply(response, 503, { code: 'internal_server_error', message: 'down' }))
    const { session } = setup({ retries: 0 })
    const error = await session.speak('Hi')
    expect(error).toMatchObject({ name: 'VoiceError', code: 'provider_unavailable', retryable: true })
    expect(session.getSnapshot()).toMatchObject({
      status: 'error',
      request: { status: 'error', isPending: false, error },
    })
    answerAudio()
    expect(await session.speak('Hi')).toBeUndefined()
    expect(server.received).toHaveLength(2)
  })

  test('a retryable failure is retried by the kernel (the one retry policy), through the runner once', async () => {
    let calls = 0
    server.handle((_request, response) => {
      if (calls++ === 0) reply(response, 503, { code: 'internal_server_error', message: 'down' })
      else response.writeHead(200, { 'content-type': 'audio/mpeg' }).end(mp3)
    })
    const runs: VoiceRequest<unknown>[] = []
    const { session } = setup({
      retryDelayMs: 1,
      runRequest: (request) => {
        runs.push(request)
        return request.run()
      },
    })
    expect(await session.speak('Again')).toBeUndefined()
    expect(server.received).toHaveLength(2)
    expect(runs).toHaveLength(1)
  })

  test('stop() while the request is held aborts it: aborted, idle, nothing played', async () => {
    server.handle(() => {}) // holds every request
    const { session, player } = setup()
    const done = session.speak('Wait for it')
    await vi.waitFor(() => expect(server.received).toHaveLength(1))
    expect(session.getSnapshot().request.isPending).toBe(true)
    session.stop()
    expect((await done)?.code).toBe('aborted')
    expect(session.getSnapshot().status).toBe('idle')
    expect(player.played).toHaveLength(0)
  })

  test('interrupt drops what is playing and queued; without it utterances play in turn', async () => {
    answerAudio()
    const { session, player } = setup()
    const results = await Promise.all([session.speak('one'), session.speak('two'), session.speak('three')])
    expect(results).toEqual([undefined, undefined, undefined])
    expect(server.received.map((_, i) => body(i).text)).toEqual(['one', 'two', 'three'])
    expect(player.played).toHaveLength(3)

    server.handle(() => {})
    const held = session.speak('held')
    await vi.waitFor(() => expect(server.received).toHaveLength(4))
    answerAudio()
    const now = session.speak('now', { interrupt: true })
    expect((await held)?.code).toBe('aborted')
    expect(await now).toBeUndefined()
  })

  test("a text stream follows the session's interrupt, as a sentence does", async () => {
    server.handle(() => {})
    const { session } = setup({ interrupt: true })
    const held = session.speak('held')
    await vi.waitFor(() => expect(server.received).toHaveLength(1))
    answerAudio()
    async function* reply() {
      yield 'A new reply.'
    }
    const streamed = session.speak(reply())
    expect((await held)?.code).toBe('aborted')
    expect(await streamed).toBeUndefined()
  })

  test("retry() after a reply's speech failed says only what was not heard", async () => {
    // The first piece is spoken; then the connection is gone, until the retry.
    const asked: string[] = []
    let online = false
    const transport: SpeechTransport = {
      provider: 'flaky',
      input: { mimeTypes: [], maxBytes: 0 },
      async speak(text) {
        asked.push(text)
        if (asked.length > 1 && !online) throw new VoiceError('network', 'offline')
        return { mimeType: 'audio/mpeg', body: new Blob([mp3]).stream() }
      },
    }
    const { session } = setup({ transport, retries: 0, cache: false })
    async function* reply() {
      yield 'The first sentence is heard. '
      yield 'The second one is not. And neither is the third.'
    }
    const error = await session.speak(reply())
    expect(error?.code).toBe('network')
    expect(session.getSnapshot().status).toBe('error')
    expect(asked[0]).toContain('first sentence')
    const failed = asked.slice(1)
    online = true
    expect(await session.retry()).toBeUndefined()
    const retried = asked.slice(1 + failed.length)
    expect(retried.join(' ')).toBe(failed.join(' '))
    expect(retried.join(' ')).not.toContain('first sentence')
    expect(retried.join(' ')).toContain('third')
    expect(session.getSnapshot().status).toBe('done')
    // Nothing left to say: nothing asked.
    expect(await session.retry()).toBeUndefined()
    expect(asked).toHaveLength(1 + failed.length + retried.length)
  })

  test('every request goes through the runner, with its kind and what it is about', async () => {
    answerAudio()
    const requests: VoiceRequest<unknown>[] = []
    const { session } = setup({
      voice: 'v1',
      runRequest: (request) => {
        requests.push(request)
        return request.run()
      },
    })
    await session.speak('Through the runner')
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ kind: 'speak', variables: { text: 'Through the runner', voice: 'v1' } })
  })

  test('a transport that cannot speak → not_supported, not a crash', async () => {
    const mute: SpeechTransport = { provider: 'mute', input: { mimeTypes: [], maxBytes: 0 } }
    const { session } = setup({ transport: mute })
    expect((await session.speak('Hi'))?.code).toBe('not_supported')
  })

  test('a text stream that breaks after a sentence: status error with its VoiceError, gone at the next speak()', async () => {
    answerAudio()
    const { session, player } = setup()
    async function* broken() {
      yield 'The first sentence. '
      yield 'The second one is cut'
      throw new TypeError('the model stream dropped')
    }
    const error = await session.speak(broken())
    expect(error).toMatchObject({ name: 'VoiceError', code: 'network' })
    expect(player.played).toEqual([mp3]) // the first sentence played to its end
    expect(player.getSnapshot().status).toBe('done')
    expect(session.getSnapshot()).toMatchObject({ status: 'error', error })
    expect(await session.speak('The first sentence.')).toBeUndefined() // from the cache
    expect(server.received).toHaveLength(1)
    expect(session.getSnapshot()).toMatchObject({ status: 'done', error: null })
  })

  test('a text stream that fails before any text: status error (no request, the player untouched); stop() clears it', async () => {
    answerAudio()
    const { session, player } = setup()
    // biome-ignore lint/correctness/useYield: a reply whose source fails before its first token
    async function* unreachable() {
      throw new TypeError('The reply could not be loaded (503)')
    }
    const error = await session.speak(unreachable())
    expect(error).toMatchObject({ name: 'VoiceError', code: 'network' })
    expect(server.received).toHaveLength(0)
    expect(player.getSnapshot().status).toBe('idle')
    expect(session.getSnapshot()).toMatchObject({ status: 'error', error })
    session.stop()
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', error: null })
  })

  test('a text stream stopped is idle, not an error', async () => {
    answerAudio()
    const { session } = setup()
    async function* endless() {
      for (;;) {
        yield 'More text. '
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }
    const spoken = session.speak(endless())
    await vi.waitFor(() => expect(server.received.length).toBeGreaterThan(0))
    session.stop()
    expect((await spoken)?.code).toBe('aborted')
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', error: null })
  })

  test('pause() and resume() reach the player; paused is a status with a command', async () => {
    const { session } = setup()
    session.pause()
    expect(session.getSnapshot().status).toBe('paused')
    session.resume()
    expect(session.getSnapshot().status).toBe('playing')
  })

  test('the commands keep their identity, and configure() is read at the next speak()', async () => {
    answerAudio()
    const { session } = setup()
    const { speak, stop, pause } = session
    session.configure({ transport: dify(), voice: 'later' })
    await session.speak('x')
    expect(body(0).voice).toBe('later')
    expect([session.speak, session.stop, session.pause]).toEqual([speak, stop, pause])
  })
})

describe('speech cache', () => {
  test('bounded LRU: beyond 64 entries the least recently used goes first', () => {
    const part = [new Uint8Array(10)]
    for (let i = 0; i < 64; i++) remember(`k${i}`, 'audio/mpeg', part)
    expect(cached('k0')).toBeDefined() // now the most recent
    remember('k64', 'audio/mpeg', part)
    expect(cached('k1')).toBeUndefined()
    expect(cached('k0')).toBeDefined()
    expect(cached('k64')).toBeDefined()
  })

  test('bounded by bytes: 16 MiB in all', () => {
    const big = [new Uint8Array(6 * 1024 * 1024)]
    remember('a', 'audio/mpeg', big)
    remember('b', 'audio/mpeg', big)
    remember('c', 'audio/mpeg', big)
    expect(cached('a')).toBeUndefined()
    expect(cached('b')).toBeDefined()
    expect(cached('c')).toBeDefined()
  })
})
