// The rules of a relayed session on their own, with fake sockets: backpressure, the idle and session
// timers (fake clock: the limits are reached by advancing it, not by waiting), which code each side gets,
// and what a close reason may carry.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import {
  closeReason,
  HIGH_WATER_BYTES,
  providerWords,
  RELAY_CLOSE_CODES,
  redact,
  refusedCloseCode,
  relayedCode,
  type Side,
  startSession,
} from './relay/session'

interface FakeSide extends Side<string> {
  sent: string[]
  closes: [number, string][]
  pauses: number
  resumes: number
  backlog: number
  /** The `written` callbacks of the sends so far, in order. */
  written: (() => void)[]
}

function fakeSide(): FakeSide {
  const fake: FakeSide = {
    sent: [],
    closes: [],
    pauses: 0,
    resumes: 0,
    backlog: 0,
    written: [],
    send(message, _binary, written) {
      fake.sent.push(message)
      fake.written.push(written)
    },
    close(code, reason) {
      fake.closes.push([code, reason])
    },
    buffered: () => fake.backlog,
    pause() {
      fake.pauses++
    },
    resume() {
      fake.resumes++
    },
  }
  return fake
}

const limits = {
  maxFrameBytes: 100,
  maxBytes: 1000,
  maxSessionMs: 60_000,
  idleTimeoutMs: 5_000,
  secrets: ['sk-SECRET-1'],
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a relayed session', () => {
  test('passes each message to the other side, with its type', () => {
    const browser = fakeSide()
    const upstream = fakeSide()
    const session = startSession(limits, browser, upstream)
    session.message('browser', 'audio', 5, true)
    session.message('upstream', 'text', 4, false)
    expect(upstream.sent).toEqual(['audio'])
    expect(browser.sent).toEqual(['text'])
    session.end(1000, '')
  })

  test('pauses the sending side while the receiving side has a backlog, and resumes it once written', () => {
    const browser = fakeSide()
    const upstream = fakeSide()
    const session = startSession(limits, browser, upstream)
    session.message('browser', 'a', 1, true)
    expect(browser.pauses).toBe(0)
    upstream.backlog = HIGH_WATER_BYTES + 1
    session.message('browser', 'b', 1, true)
    expect(browser.pauses).toBe(1)
    // Another message read before the pause took effect: still paused once, not twice.
    session.message('browser', 'c', 1, true)
    expect(browser.pauses).toBe(1)
    // A write completes while the backlog is still high: stays paused.
    upstream.written[0]?.()
    expect(browser.resumes).toBe(0)
    // The backlog drains: the next completed write reopens the browser side.
    upstream.backlog = 0
    upstream.written[1]?.()
    expect(browser.resumes).toBe(1)
    upstream.written[2]?.()
    expect(browser.resumes).toBe(1)
    // The other direction has its own: the provider is paused by the browser's backlog.
    browser.backlog = HIGH_WATER_BYTES + 1
    session.message('upstream', 'x', 1, false)
    expect(upstream.pauses).toBe(1)
    expect(browser.pauses).toBe(1)
    session.end(1000, '')
  })

  test('a message either way keeps the session alive; silence both ways for idleTimeoutMs ends it with 4408', () => {
    const browser = fakeSide()
    const upstream = fakeSide()
    const session = startSession(limits, browser, upstream)
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(limits.idleTimeoutMs - 1)
      session.message(i % 2 === 0 ? 'browser' : 'upstream', 'm', 1, false)
    }
    expect(session.done).toBe(false)
    vi.advanceTimersByTime(limits.idleTimeoutMs)
    expect(session.done).toBe(true)
    expect(browser.closes[0]?.[0]).toBe(RELAY_CLOSE_CODES.idle)
    expect(upstream.closes[0]?.[0]).toBe(RELAY_CLOSE_CODES.idle)
  })

  test('ends with 4410 at maxSessionMs however busy it is, and stops relaying', () => {
    const browser = fakeSide()
    const upstream = fakeSide()
    const session = startSession({ ...limits, maxSessionMs: 10_000, maxBytes: 1e9 }, browser, upstream)
    for (let t = 0; t < 10; t++) {
      vi.advanceTimersByTime(1_000)
      session.message('browser', 'm', 1, true)
    }
    expect(browser.closes).toEqual([
      [RELAY_CLOSE_CODES.sessionTooLong, "The session reached this server's limit of 10000 ms."],
    ])
    expect(upstream.closes[0]?.[0]).toBe(RELAY_CLOSE_CODES.sessionTooLong)
    const sent = upstream.sent.length
    session.message('browser', 'late', 4, true)
    expect(upstream.sent.length).toBe(sent)
  })

  test('counts bytes both ways: the message that would cross maxBytes is not passed, and both sides get 4413', () => {
    const browser = fakeSide()
    const upstream = fakeSide()
    const session = startSession(limits, browser, upstream)
    for (let i = 0; i < 5; i++) {
      session.message('browser', 'b', 100, true)
      session.message('upstream', 'u', 100, false)
    }
    expect(session.done).toBe(false)
    session.message('browser', 'over', 1, true)
    expect(upstream.sent).toEqual(['b', 'b', 'b', 'b', 'b'])
    expect(browser.closes[0]?.[0]).toBe(RELAY_CLOSE_CODES.tooManyBytes)
    expect(upstream.closes[0]?.[0]).toBe(RELAY_CLOSE_CODES.tooManyBytes)
  })

  test('a message over maxFrameBytes (measured, or refused by the runtime) ends both sides with 1009', () => {
    const browser = fakeSide()
    const upstream = fakeSide()
    startSession(limits, browser, upstream).message('upstream', 'x'.repeat(101), 101, false)
    expect(browser.sent).toEqual([])
    expect(browser.closes[0]).toEqual([1009, "The provider sent a message over this server's limit of 100 bytes."])
    expect(upstream.closes[0]?.[0]).toBe(1009)
    const other = fakeSide()
    startSession(limits, other, fakeSide()).oversize('browser')
    expect(other.closes[0]?.[1]).toContain('The browser sent')
  })

  test("one side's close reaches the other with its code and reason; the provider's reason never with the key", () => {
    const browser = fakeSide()
    const upstream = fakeSide()
    const session = startSession(limits, browser, upstream)
    session.closed('upstream', 4001, 'bad key sk-SECRET-1 given')
    expect(browser.closes).toEqual([[4001, 'bad key [redacted] given']])
    session.closed('browser', 1000, 'late')
    expect(browser.closes).toHaveLength(1)
  })
})

describe('close codes and reasons', () => {
  test('1005 (no code) becomes 1000; a dropped browser 1001, a dropped provider 4502; sendable codes pass', () => {
    expect(relayedCode('browser', 1005)).toBe(1000)
    expect(relayedCode('upstream', 1005)).toBe(1000)
    expect(relayedCode('browser', 1006)).toBe(1001)
    expect(relayedCode('upstream', 1006)).toBe(RELAY_CLOSE_CODES.unreachable)
    expect(relayedCode('upstream', 1015)).toBe(RELAY_CLOSE_CODES.unreachable)
    for (const code of [1000, 1001, 1008, 1009, 1011, 1014, 3000, 4001, 4999]) {
      expect(relayedCode('upstream', code)).toBe(code)
      expect(relayedCode('browser', code)).toBe(code)
    }
  })

  test("a refused handshake is 4000 + the provider's HTTP status; a nonsense status is 4502", () => {
    expect(refusedCloseCode(401)).toBe(4401)
    expect(refusedCloseCode(429)).toBe(4429)
    expect(refusedCloseCode(503)).toBe(4503)
    expect(refusedCloseCode(0)).toBe(RELAY_CLOSE_CODES.unreachable)
    expect(refusedCloseCode(700)).toBe(RELAY_CLOSE_CODES.unreachable)
  })

  test('a reason is cut to 123 bytes of UTF-8 at a character boundary', () => {
    expect(closeReason('short')).toBe('short')
    const long = closeReason('é'.repeat(100))
    expect(new TextEncoder().encode(long).byteLength).toBeLessThanOrEqual(123)
    expect(long.endsWith('…')).toBe(true)
    expect(long).not.toContain('\uFFFD')
  })

  test("the provider's words: OpenAI's, ElevenLabs', plain ones, plain text; an HTML page says nothing", () => {
    expect(providerWords('{"error":{"message":"Incorrect API key","code":"invalid_api_key"}}')).toBe(
      'Incorrect API key',
    )
    expect(providerWords('{"detail":{"status":"quota_exceeded","message":"Quota   exceeded"}}')).toBe('Quota exceeded')
    expect(providerWords('{"detail":"Not authenticated"}')).toBe('Not authenticated')
    expect(providerWords('{"message":"nope"}')).toBe('nope')
    expect(providerWords('Forbidden\n')).toBe('Forbidden')
    expect(providerWords('<html><body>502</body></html>')).toBe('')
    expect(redact('key=abcd1234 and abcd1234', ['abcd1234'])).toBe('key=[redacted] and [redacted]')
  })
})
