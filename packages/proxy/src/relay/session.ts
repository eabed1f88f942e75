// The rules of one relayed session, whatever carries the sockets (ws on Node, WebSocketPair on Workers):
// the frame and byte caps, the idle and session timers, backpressure, and which close code each side
// gets. It decides nothing about who may connect (plan.ts did); it keeps a session inside its plan.
import { idleTimer } from '../streams'

/**
 * The close codes the relay sends itself. The proxy's own failures are 4000 + the HTTP status it would
 * have answered, so that a client maps them the way it maps HTTP errors.
 */
export const RELAY_CLOSE_CODES = {
  /** A message over `maxFrameBytes`, either way (the standard "message too big"). */
  frameTooLarge: 1009,
  /** No message either way for `idleTimeoutMs`. */
  idle: 4408,
  /** The session lasted `maxSessionMs`. */
  sessionTooLong: 4410,
  /** The session carried more than `maxBytes`. */
  tooManyBytes: 4413,
  /** The provider could not be reached, answered its handshake with a redirect, or its connection dropped. */
  unreachable: 4502,
  /** The provider did not complete its handshake within `timeoutMs`. */
  upstreamTimeout: 4504,
} as const

/** The provider refused the handshake with an HTTP status: the browser's socket closes with 4000 + it (4401, 4429…). */
export const refusedCloseCode = (status: number): number =>
  status >= 100 && status <= 599 ? 4000 + status : RELAY_CLOSE_CODES.unreachable

/** A close reason is at most 123 bytes of UTF-8: cut at a character boundary. */
export function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text)
  if (bytes.byteLength <= 123) return text
  let end = 120
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--
  return `${new TextDecoder().decode(bytes.subarray(0, end))}…`
}

/** Every occurrence of a secret replaced: the provider's words may quote the key (OpenAI masks it; others may not). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]')
  return out
}

/** The gist of a provider's error body (`{error:{message}}`, `{detail:{message}}`, `{message}`, plain text). */
export function providerWords(text: string): string {
  let words: unknown
  try {
    const body = JSON.parse(text) as Record<string, unknown>
    const nested = (value: unknown) =>
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>).message : undefined
    words = nested(body.error) ?? nested(body.detail) ?? body.message ?? body.detail ?? body.error
  } catch {
    words = /^\s*</.test(text) ? undefined : text // an HTML error page says nothing useful in 123 bytes
  }
  return typeof words === 'string' ? words.replace(/\s+/g, ' ').trim() : ''
}

/** Which side a message or a close came from. */
export type From = 'browser' | 'upstream'

/** One socket as the session drives it. */
export interface Side<M> {
  /** `written` is called once the message has left this process (where the runtime says so). */
  send(message: M, binary: boolean, written: () => void): void
  /** Idempotent, and a no-op once the socket is closing. `code` is always sendable, `reason` ≤ 123 bytes. */
  close(code: number, reason: string): void
  /** Bytes accepted for sending but not yet written (0 where the runtime does not say). */
  buffered(): number
  /** Stop / restart reading this socket (no-ops where the runtime cannot). */
  pause(): void
  resume(): void
}

export interface SessionLimits {
  readonly maxFrameBytes: number
  readonly maxBytes: number
  readonly maxSessionMs: number
  readonly idleTimeoutMs: number
  readonly secrets: readonly string[]
}

export interface Session<M> {
  message(from: From, message: M, bytes: number, binary: boolean): void
  /** That side's socket closed with this code (1005: none given, 1006: no close frame at all). */
  closed(from: From, code: number, reason: string): void
  /** That side sent a message over the frame cap (the runtime refused it itself, or it was measured). */
  oversize(from: From): void
  /** The relay ends the session, both sides with the same code. */
  end(code: number, reason: string): void
  readonly done: boolean
}

/** Above it, the side being read is paused until the other side has written its backlog. */
export const HIGH_WATER_BYTES = 1024 * 1024

/** Codes a peer may send (RFC 6455 §7.4: not 1004–1006 nor 1015, nor outside 1000–4999's registered ranges). */
function sendable(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
  )
}

/** The code the other side gets when one side closes: 1005 (none given) is a normal close; a dropped socket is said as such. */
export function relayedCode(from: From, code: number): number {
  if (sendable(code)) return code
  if (code === 1005) return 1000
  // 1006 (no close frame), 1015 (TLS), anything else: the browser went away, or the provider's connection was lost.
  return from === 'browser' ? 1001 : RELAY_CLOSE_CODES.unreachable
}

export function startSession<M>(limits: SessionLimits, browser: Side<M>, upstream: Side<M>): Session<M> {
  let done = false
  let carried = 0
  const sides = { browser, upstream }
  const other = (from: From) => (from === 'browser' ? upstream : browser)
  const paused = { browser: false, upstream: false }

  const idle = idleTimer(limits.idleTimeoutMs, () =>
    end(RELAY_CLOSE_CODES.idle, `Idle: nothing was sent either way for ${limits.idleTimeoutMs} ms.`),
  )
  idle.touch()
  const lifetime = setTimeout(
    () =>
      end(RELAY_CLOSE_CODES.sessionTooLong, `The session reached this server's limit of ${limits.maxSessionMs} ms.`),
    limits.maxSessionMs,
  )

  function finish() {
    done = true
    idle.clear()
    clearTimeout(lifetime)
  }

  function end(code: number, reason: string) {
    if (done) return
    finish()
    const said = closeReason(reason)
    browser.close(code, said)
    upstream.close(code, said)
  }

  function oversize(from: From) {
    const who = from === 'browser' ? 'The browser' : 'The provider'
    end(
      RELAY_CLOSE_CODES.frameTooLarge,
      `${who} sent a message over this server's limit of ${limits.maxFrameBytes} bytes.`,
    )
  }

  function message(from: From, data: M, bytes: number, binary: boolean) {
    if (done) return
    if (bytes > limits.maxFrameBytes) return oversize(from)
    carried += bytes
    if (carried > limits.maxBytes) {
      return end(
        RELAY_CLOSE_CODES.tooManyBytes,
        `The session carried more than this server's limit of ${limits.maxBytes} bytes.`,
      )
    }
    idle.touch()
    const to = other(from)
    // Backpressure: while the receiving side has a backlog, stop reading the sending side; the write that
    // brings the backlog down reopens it.
    to.send(data, binary, () => {
      if (paused[from] && !done && to.buffered() <= HIGH_WATER_BYTES / 2) {
        paused[from] = false
        sides[from].resume()
      }
    })
    if (!paused[from] && to.buffered() > HIGH_WATER_BYTES) {
      paused[from] = true
      sides[from].pause()
    }
  }

  function closed(from: From, code: number, reason: string) {
    if (done) return
    finish()
    const to = other(from)
    const relayed = relayedCode(from, code)
    let said = reason
    if (!sendable(code) && code !== 1005) {
      said = from === 'browser' ? 'The browser went away.' : "The provider's connection was lost."
    }
    // What the provider says reaches the browser: never with the key in it.
    to.close(relayed, closeReason(from === 'upstream' ? redact(said, limits.secrets) : said))
    // The side that closed is closed, or finishing its closing handshake (workerd waits for this reply).
    sides[from].close(sendable(code) ? code : 1000, '')
  }

  return {
    message,
    closed,
    oversize,
    end,
    get done() {
      return done
    },
  }
}
