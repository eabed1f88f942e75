// Regression tests for the bugs the fault, fuzz and attack suites found (see each test's note).
import { isVoiceError } from '@voicekit/core'
import { readAudioStream } from '@voicekit/core/transport'
import { describe, expect, test } from 'vitest'
import { MalformedMultipartError, rewriteMultipartUser } from '../../packages/proxy/src/multipart'
import { startUpstream } from '../../packages/proxy/src/test-support/upstream'
import { rawExchange, settle, startProxies } from './support.ts'

/** A body that breaks before its first byte, as a connection reset right after the headers does. */
const brokenBody = (error: unknown) =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(error)
    },
  })

describe('readAudioStream, the public helper for custom transports', () => {
  // Found by decoder-fuzz: outside the built-in transports' request() wrapper, a body that broke before
  // its first chunk (or a JSON body that broke while read) escaped as the runtime's TypeError.
  test.each([
    ['audio/mpeg', 'before the first chunk'],
    ['application/json', 'while the JSON answer is read'],
  ])('a %s body that breaks %s rejects with VoiceError network', async (type) => {
    const response = new Response(brokenBody(new TypeError('terminated')), { headers: { 'content-type': type } })
    const outcome = await settle(readAudioStream(response, 'custom', 'audio/mpeg', undefined))
    expect(outcome.ok).toBe(false)
    expect('foreign' in outcome ? outcome.foreign : undefined).toBeUndefined()
    const error = 'voice' in outcome ? outcome.voice : undefined
    expect(isVoiceError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'network', retryable: true, provider: 'custom' })
  })

  test('the same break after the caller aborted is `aborted`', async () => {
    const controller = new AbortController()
    controller.abort()
    const response = new Response(brokenBody(new DOMException('aborted', 'AbortError')), {
      headers: { 'content-type': 'audio/mpeg' },
    })
    const outcome = await settle(readAudioStream(response, 'custom', 'audio/mpeg', controller.signal))
    expect('voice' in outcome ? outcome.voice.code : outcome).toBe('aborted')
  })
})

describe('toNodeListener', () => {
  // Found by proxy-attacks: the Fetch Request constructor throws for the forbidden method TRACE, and it
  // threw inside the node:http 'request' listener: one unauthenticated `TRACE /api/voice/...` was an
  // uncaught exception that stopped the whole Node process.
  test('TRACE below the base path is answered 405, and the server lives on', async () => {
    const upstream = await startUpstream()
    const front = await startProxies([{ providers: { dify: { apiKey: 'sk-x', baseUrl: `${upstream.url}/dify` } } }])
    try {
      const trace = await rawExchange(
        front.url,
        ['TRACE /api/voice/dify/audio-to-text HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
        3_000,
      )
      expect(trace.statuses).toEqual([405])
      expect(trace.text.toLowerCase()).toContain('allow: post, options')
      const after = await fetch(`${front.url}/api/voice/dify/audio-to-text`, { method: 'POST', body: '{}' })
      expect(after.status).toBe(200)
      expect(upstream.requests).toHaveLength(1)
    } finally {
      await front.close()
      await upstream.close()
    }
  })
})

describe("the proxy's multipart user rewriter against Werkzeug (Dify's form parser)", () => {
  // Found by decoder-fuzz, confirmed with Werkzeug 3.1: Werkzeug also ends a part at `--boundary` at the
  // very start of a body or after a bare CR or LF. The rewriter only knew CRLF `--boundary`, so such a body
  // carried a client `user` part through, and Dify read `user: ['server', 'mallory']`. (Dify's
  // `form.get('user')` takes the first, the server's, but the rewriter's promise is that no client part
  // named user gets through.)
  const boundary = 'B'
  const smuggled = '--B\r\nContent-Disposition: form-data; name="user"\r\n\r\nmallory'
  const form = (body: string) =>
    `--B\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n${body}\r\n--B--\r\n`
  const rewrite = async (text: string, pieces: number) => {
    const bytes = new TextEncoder().encode(text)
    const size = Math.ceil(bytes.length / pieces)
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size))
        controller.close()
      },
    })
    return new Response(source.pipeThrough(rewriteMultipartUser(boundary, 'server'))).text()
  }

  test.each([
    ['at the start of a body', smuggled],
    ['after a bare LF', `abc\n${smuggled}`],
    ['after a bare CR', `abc\r${smuggled}`],
  ])('a boundary line %s is refused, in one piece or many', async (_where, body) => {
    for (const pieces of [1, 3, 7, body.length]) {
      await expect(rewrite(form(body), pieces)).rejects.toBeInstanceOf(MalformedMultipartError)
    }
  })

  test('the same text mid-line is plain body content, for Werkzeug and for us', async () => {
    for (const pieces of [1, 5, 200]) {
      const out = await rewrite(form(`abc${smuggled}`), pieces)
      expect(out).toContain(`\r\n\r\nabc${smuggled}\r\n--B--`)
      expect(out.match(/name="user"/g)).toHaveLength(2) // the server's part, and the text inside the file
      expect(out.startsWith('--B\r\nContent-Disposition: form-data; name="user"\r\n\r\nserver\r\n')).toBe(true)
    }
  })
})
