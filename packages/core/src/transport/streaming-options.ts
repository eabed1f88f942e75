// The options every built-in streaming transcriber takes beside its provider's own: where the socket goes,
// which WebSocket opens it, and how long it may take. Types only.
import type { StreamingConnection } from './streaming'

/**
 * Anything constructed like the browser's `WebSocket` (`new (url, protocols)`) with its API: the global one,
 * or the `ws` package's class in Node (20 has no global WebSocket).
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => object

/**
 * Where a provider transport's real-time socket goes: a `StreamingConnection`, or `{ token: true }` for the
 * app's proxy token route below the transport's `baseUrl` (see each provider). `url` defaults to the
 * provider's public socket URL when a token is used.
 */
export type StreamingConnectionOption =
  | { readonly relay: string }
  | { readonly token: true | ((signal?: AbortSignal) => Promise<string>); readonly url?: string }

export interface StreamingSocketOptions {
  /** Default: the relay below the transport's `baseUrl` (the proxy's socket route). */
  connection?: StreamingConnectionOption | StreamingConnection
  /** The WebSocket constructor; default the global `WebSocket` at open time (pass `ws`'s in Node). */
  WebSocket?: WebSocketConstructor
  /**
   * Milliseconds for the token, the socket's opening (else `openTranscriptionStream` rejects with `timeout`)
   * and then the provider's acceptance of the session (else a fatal `timeout` error). Default 15000; 0: none.
   */
  connectTimeoutMs?: number
  /**
   * Milliseconds `finish()` waits for the last final before it closes anyway (`closed` then carries a
   * `timeout` error), so a silent provider cannot hang it. Default 10000; 0: no bound.
   */
  finishTimeoutMs?: number
}
