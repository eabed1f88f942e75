// The socket plumbing every streaming transcriber shares: where the socket goes (a relay on the app's
// server, or the provider itself with a fresh token), opening it within a bound, buffering what is sent
// before the provider accepts the session, the close codes in the error vocabulary, and a `finish()`
// that cannot hang. A provider brings its wire format as a `StreamingProtocol`. Part of the real-time
// chunk: the providers load it on the first `openTranscriptionStream`.
import { isVoiceError, VoiceError, type VoiceErrorCode } from '../errors'
import { isRecord, type Json } from './decode'
import { abortedError, messageOf } from './errors'
import { codeForStatus } from './http-error'
import type {
  StreamingConnection,
  StreamingTranscriptionEvent,
  StreamingTranscriptionOptions,
  StreamingTranscriptionSession,
} from './streaming'
import type { StreamingSocketOptions } from './streaming-options'

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000
export const DEFAULT_FINISH_TIMEOUT_MS = 10_000

const OPEN = 1
const CLOSING = 2
const noop = () => {}

/** What a protocol may do while it reads the provider's messages. */
export interface ProtocolContext {
  emit(event: StreamingTranscriptionEvent): void
  /** The provider accepted the session: `ready` is reported and the buffered audio goes out. */
  ready(): void
  /** A failure the session does not survive: reported as a fatal `error`, then `closed`. */
  fail(error: VoiceError): void
}

/** A provider's wire format, for `openStreamingSession`. Messages are JSON text frames. */
export interface StreamingProtocol {
  readonly sampleRate: number
  /** Completes the socket's URL (its query; the token, where it goes there) and returns the subprotocols. */
  address(url: URL, token: string | undefined): string[] | undefined
  /** Sent as soon as the socket opens, before the provider accepts the session (OpenAI's `session.update`). */
  opening(): string[]
  /** 16 kHz samples in, the messages they complete out. */
  audio(samples: Float32Array): string[]
  /**
   * The messages that end the current utterance (the partial frame first); none when nothing would be
   * transcribed. A final the protocol reports itself for this commit must wait for a later turn (the
   * caller learns of the commit only when this returns).
   */
  commit(context: ProtocolContext): string[]
  /** At `finish()`: what is left of the audio, and its commit. */
  end(context: ProtocolContext): string[]
  /** One JSON object the provider sent. */
  receive(message: Json, context: ProtocolContext): void
  /** True when every final the client's commits asked for has been reported. */
  settled(): boolean
  /** The session is ending: report what is held back (a final waiting for its words). */
  drain?(context: ProtocolContext): void
  /** Stop the protocol's own timers. */
  dispose?(): void
}

/**
 * A relay or socket URL as a `ws(s):` URL: a relative one is resolved against the page (`location`),
 * `http(s):` becomes `ws(s):`. Outside a page a relative URL is refused.
 */
export function socketUrl(target: string, provider: string): URL {
  let url: URL
  try {
    url = new URL(target, globalThis.location?.href)
  } catch (cause) {
    throw new VoiceError(
      'invalid_request',
      `${provider}: ${JSON.stringify(target)} is not a socket URL (outside a page it must be absolute)`,
      { provider, cause },
    )
  }
  if (url.protocol === 'http:') url.protocol = 'ws:'
  else if (url.protocol === 'https:') url.protocol = 'wss:'
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new VoiceError('invalid_request', `${provider}: ${url.protocol} is not a socket URL scheme`, { provider })
  }
  return url
}

/** Close reasons that say more than their code: a relay or provider that puts the cause in words. */
function codeForReason(reason: string): VoiceErrorCode | undefined {
  if (/unauthori[sz]ed|forbidden|auth|api[ _-]?key|token|permission/i.test(reason)) return 'unauthorized'
  if (/quota|credit|billing|payment|rate.?limit|too many|concurren/i.test(reason)) return 'quota_exceeded'
  if (/too (large|big)|size|payload/i.test(reason)) return 'audio_too_large'
  return undefined
}

/**
 * The error a close code means, or undefined for a clean close (1000). The reason is the message and the code
 * the `providerCode`. 1008 (policy) and 1009 (too big) are not retryable; 1001 and 1011–1014 are
 * `provider_unavailable`, retryable; 1006 and anything unknown are `network`. 4000–4999 is the application's:
 * the proxy's relay closes with 4000 + the HTTP status it would have answered (4401, 4429, 4502…), read as
 * that status (retryable as an HTTP answer would be), its idle, session-length and handshake timeouts (4408,
 * 4410, 4504) as `timeout`; other 4xxx by the reason's words, else `provider_error`, not retryable.
 */
export function closeError(provider: string, code: number, reason: string): VoiceError | undefined {
  if (code === 1000) return undefined
  const words = reason.trim()
  const message = words || `The ${provider} connection closed (${code})`
  const make = (voiceCode: VoiceErrorCode, retryable: boolean) =>
    new VoiceError(voiceCode, message, { provider, providerCode: String(code), retryable })
  if (code === 1009) return make('audio_too_large', false)
  if (code === 1008) return make(codeForReason(words) ?? 'invalid_request', false)
  if (code === 1002 || code === 1003 || code === 1007) return make('invalid_request', false)
  if (code === 1001 || (code >= 1011 && code <= 1014)) return make('provider_unavailable', true)
  if (code === 3000 || code === 3003) return make('unauthorized', false)
  if (code === 3008) return make('timeout', true)
  if (code >= 4000 && code <= 4999) {
    const status = code - 4000
    if (status === 408 || status === 410 || status === 504) return make('timeout', true)
    if (status >= 400 && status <= 599) {
      return new VoiceError(codeForStatus(status), message, { provider, providerCode: String(code), status })
    }
    return make(codeForReason(words) ?? 'provider_error', false)
  }
  return make('network', true)
}

/** Why a socket did not open. `ws` names the refused upgrade's status; a browser says nothing. */
function connectError(provider: string, event: unknown): VoiceError {
  const text = typeof event === 'object' && event !== null ? (event as { message?: unknown }).message : undefined
  const detail = typeof text === 'string' && text ? `: ${text}` : ''
  const status = Number(/server response: (\d{3})/i.exec(typeof text === 'string' ? text : '')?.[1])
  if (status >= 400) {
    return new VoiceError(codeForStatus(status), `${provider} refused the connection (${status})`, { provider, status })
  }
  return new VoiceError('network', `Could not connect to ${provider}${detail}`, { provider })
}

/**
 * Opens a socket on `connection` and runs `protocol` on it. Resolves once the socket is open; rejects only
 * with a VoiceError: `aborted`, `timeout`, `unauthorized` (an upgrade refused with 401/403, where the
 * WebSocket says so), `invalid_request` (a URL that is not one), a failed token's error, else `network`.
 */
export function openStreamingSession(
  provider: string,
  connection: StreamingConnection,
  protocol: StreamingProtocol,
  options: StreamingTranscriptionOptions,
  socketOptions: StreamingSocketOptions = {},
): Promise<StreamingTranscriptionSession> {
  const { signal } = options
  if (signal?.aborted) return Promise.reject(abortedError(provider, signal.reason))
  const Socket = (socketOptions.WebSocket ?? globalThis.WebSocket) as typeof WebSocket | undefined
  if (typeof Socket !== 'function') {
    return Promise.reject(new VoiceError('not_supported', 'No WebSocket in this environment', { provider }))
  }
  const ms = socketOptions.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS

  return new Promise<StreamingTranscriptionSession>((resolve, reject) => {
    let socket: WebSocket | undefined
    let done = false
    const settle = (error?: VoiceError) => {
      if (done) return
      done = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (!error && socket) {
        // At once, in the open event: `ws` delivers a message that came with the handshake right after it,
        // before any promise callback could attach a handler.
        try {
          return resolve(run(socket, provider, protocol, options, socketOptions))
        } catch (cause) {
          error = new VoiceError('network', `The ${provider} session could not start: ${messageOf(cause)}`, {
            provider,
            cause,
          })
        }
      }
      if (socket) {
        socket.onopen = socket.onclose = null
        socket.onerror = noop // `ws` throws an 'error' nobody listens to
        socket.close()
      }
      reject(error)
    }
    const onAbort = () => settle(abortedError(provider, signal?.reason))
    signal?.addEventListener('abort', onAbort, { once: true })
    const timer =
      ms > 0
        ? setTimeout(
            () =>
              settle(
                new VoiceError('timeout', `${provider} did not open the connection within ${ms} ms`, { provider }),
              ),
            ms,
          )
        : undefined
    const start = async () => {
      let token: string | undefined
      if (!('relay' in connection)) {
        token = await connection.token(signal)
        if (typeof token !== 'string' || !token) {
          throw new VoiceError('bad_response', `The ${provider} token is empty`, { provider })
        }
      }
      if (done) return
      const url = socketUrl('relay' in connection ? connection.relay : connection.url, provider)
      const protocols = protocol.address(url, token)
      try {
        socket = new Socket(url.href, protocols)
      } catch (cause) {
        throw new VoiceError('invalid_request', `Could not open a socket to ${provider}: ${messageOf(cause)}`, {
          provider,
          cause,
        })
      }
      socket.onopen = () => settle()
      socket.onerror = (event) => settle(connectError(provider, event))
      socket.onclose = (event) => settle(connectError(provider, event))
    }
    start().catch((error: unknown) =>
      settle(
        isVoiceError(error)
          ? error
          : new VoiceError('network', `Could not get a ${provider} token: ${messageOf(error)}`, {
              provider,
              cause: error,
            }),
      ),
    )
  })
}

function run(
  socket: WebSocket,
  provider: string,
  protocol: StreamingProtocol,
  { onEvent, signal }: StreamingTranscriptionOptions,
  socketOptions: StreamingSocketOptions,
): StreamingTranscriptionSession {
  let ready = false
  let state: 'open' | 'finishing' | 'closed' = 'open'
  let ending = false
  const queue: string[] = []
  let finished: Promise<void> | undefined
  let resolveFinished = noop
  let finishTimer: ReturnType<typeof setTimeout> | undefined

  const deliver = (event: StreamingTranscriptionEvent) => {
    try {
      onEvent(event)
    } catch (error) {
      // The app's handler threw: surface it, but let the session go on.
      queueMicrotask(() => {
        throw error
      })
    }
  }
  const transmit = (messages: string[]) => {
    if (state === 'closed') return
    if (!ready) queue.push(...messages)
    else for (const message of messages) if (socket.readyState === OPEN) socket.send(message)
  }
  const stop = () => {
    state = 'closed'
    clearTimeout(readyTimer)
    clearTimeout(finishTimer)
    signal?.removeEventListener('abort', close)
    protocol.dispose?.()
    socket.onmessage = socket.onclose = null
    socket.onerror = noop
    if (socket.readyState < CLOSING) socket.close(1000)
    resolveFinished()
  }
  /** The session is over: what is held back, then `closed` once. */
  const end = (code: number, reason: string, error?: VoiceError) => {
    if (ending || state === 'closed') return
    ending = true
    protocol.drain?.(context)
    stop()
    deliver({ type: 'closed', code, reason, ...(error ? { error } : {}) })
  }
  const check = () => {
    if (state === 'finishing' && ready && protocol.settled()) end(1000, '')
  }
  const context: ProtocolContext = {
    emit(event) {
      if (state === 'closed') return
      deliver(event)
      if (event.type === 'final') check()
    },
    ready() {
      if (ready || state === 'closed') return
      ready = true
      clearTimeout(readyTimer)
      deliver({ type: 'ready' })
      transmit(queue.splice(0))
      check()
    },
    fail(error) {
      if (state === 'closed' || ending) return
      deliver({ type: 'error', error, fatal: true })
      end(1000, error.message, error)
    },
  }
  const close = () => {
    if (state !== 'closed') stop()
  }

  const connectMs = socketOptions.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const readyTimer =
    connectMs > 0
      ? setTimeout(
          () =>
            context.fail(
              new VoiceError('timeout', `${provider} did not start the session within ${connectMs} ms`, { provider }),
            ),
          connectMs,
        )
      : undefined
  signal?.addEventListener('abort', close, { once: true })
  socket.onmessage = (event) => {
    if (typeof event.data !== 'string') return
    let message: unknown
    try {
      message = JSON.parse(event.data)
    } catch {
      return
    }
    if (!isRecord(message)) return
    protocol.receive(message, context)
    check()
  }
  socket.onerror = noop // a `close` follows
  socket.onclose = (event) => end(event.code, event.reason, closeError(provider, event.code, event.reason))
  for (const message of protocol.opening()) socket.send(message)

  return {
    sampleRate: protocol.sampleRate,
    send(samples) {
      if (state === 'open') transmit(protocol.audio(samples))
    },
    commit() {
      if (state === 'open') transmit(protocol.commit(context))
    },
    finish() {
      if (finished) return finished
      finished = new Promise<void>((resolve) => {
        resolveFinished = resolve
      })
      if (state === 'closed') {
        resolveFinished()
        return finished
      }
      transmit(protocol.end(context))
      state = 'finishing'
      const ms = socketOptions.finishTimeoutMs ?? DEFAULT_FINISH_TIMEOUT_MS
      if (ms > 0) {
        finishTimer = setTimeout(() => {
          const error = new VoiceError('timeout', `${provider} sent no last final within ${ms} ms`, { provider })
          end(1000, error.message, error)
        }, ms)
      }
      check()
      return finished
    },
    close,
  }
}
