// The real-time relay on Workers runtimes (workerd): the Fetch handler answers a socket plan with a
// WebSocketPair. The provider's socket is opened first — an outbound fetch with `Upgrade: websocket` and
// the key, on `https:` (workerd takes no `wss:` there) — then the browser's side is accepted, echoing
// the subprotocol the provider chose; relay/session.ts keeps the session inside its limits.
//
// Only Fetch-era globals (WebSocketPair, fetch, timers): nothing here loads on Node.
import { timedOut, unreachable } from '../errors'
import { describe } from '../fetch-path'
import type { SocketPlan } from '../plan'
import {
  closeReason,
  type From,
  providerWords,
  RELAY_CLOSE_CODES,
  redact,
  refusedCloseCode,
  type Side,
  startSession,
} from './session'

type Message = string | ArrayBuffer

/** The part of workerd's WebSocket the relay uses. */
interface WorkerSocket {
  accept(): void
  send(message: Message): void
  close(code?: number, reason?: string): void
  binaryType: string
  readonly readyState: number
  addEventListener(type: 'message', listener: (event: { data: Message | Blob }) => void): void
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void
  addEventListener(type: 'error', listener: (event: unknown) => void): void
}

type WebSocketPairClass = new () => { readonly 0: WorkerSocket; readonly 1: WorkerSocket }

const pairClass = () => (globalThis as { WebSocketPair?: WebSocketPairClass }).WebSocketPair

/** Whether this runtime can hold a socket in a Fetch handler (Workers, workerd). */
export const holdsSockets = (): boolean => typeof pairClass() === 'function'

/** Whether a request asks for a WebSocket. */
export const isUpgrade = (request: Request): boolean =>
  request.headers.get('upgrade')?.trim().toLowerCase() === 'websocket'

const OPEN = 1

/** UTF-8 length of a string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

function side(ws: WorkerSocket): Side<Message> {
  let closed = false
  return {
    send(message, _binary, written) {
      if (closed || ws.readyState !== OPEN) return
      try {
        ws.send(message)
      } catch {}
      written()
    },
    close(code, reason) {
      if (closed) return
      closed = true
      try {
        ws.close(code, reason)
      } catch {}
    },
    // workerd says nothing of its send queue, nor lets a reader pause: its own flow control applies.
    buffered: () => 0,
    pause: () => {},
    resume: () => {},
  }
}

function wire(session: ReturnType<typeof startSession<Message>>, from: From, ws: WorkerSocket) {
  ws.addEventListener('message', (event) => {
    const { data } = event
    if (typeof data === 'string') session.message(from, data, utf8Length(data), false)
    else if (data instanceof ArrayBuffer) session.message(from, data, data.byteLength, true)
  })
  ws.addEventListener('close', (event) => session.closed(from, event.code, event.reason))
  ws.addEventListener('error', () => session.closed(from, 1006, ''))
}

async function readWords(response: Response): Promise<string> {
  try {
    const text = await response.text()
    return providerWords(text.slice(0, 4096))
  } catch {
    return ''
  }
}

export async function relayOnWorkers(
  request: Request,
  plan: SocketPlan,
  fetchUpstream: (input: string, init: RequestInit) => Promise<Response>,
): Promise<Response> {
  const Pair = pairClass() as WebSocketPairClass
  const { descriptor } = plan
  const headers = new Headers(plan.headers)
  headers.set('upgrade', 'websocket')
  if (plan.protocols.length > 0) headers.set('sec-websocket-protocol', plan.protocols.join(', '))
  const abort = new AbortController()
  let timedOutConnecting = false
  const timer = setTimeout(() => {
    timedOutConnecting = true
    abort.abort(new Error('the provider did not complete its handshake'))
  }, plan.connectTimeoutMs)
  const onClientAbort = () => abort.abort(new Error('the client went away'))
  request.signal.addEventListener('abort', onClientAbort, { once: true })

  let refusal: [code: number, reason: string] | undefined
  let upstream: WorkerSocket | undefined
  let chosen: string | null = null
  try {
    const response = await fetchUpstream(plan.url.replace(/^ws/, 'http'), {
      headers,
      signal: abort.signal,
      redirect: 'manual',
    })
    const socket = (response as Response & { webSocket?: WorkerSocket | null }).webSocket
    if (response.status === 101 && socket) {
      upstream = socket
      chosen = response.headers.get('sec-websocket-protocol')
    } else if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => {})
      refusal = [
        RELAY_CLOSE_CODES.unreachable,
        unreachable(descriptor, `it answered with a redirect, ${response.status}`).message,
      ]
    } else {
      const words = await readWords(response)
      refusal = [
        refusedCloseCode(response.status),
        `${descriptor.name}: ${words || `it refused the connection (${response.status})`}`,
      ]
    }
  } catch (error) {
    refusal = timedOutConnecting
      ? [RELAY_CLOSE_CODES.upstreamTimeout, timedOut(plan.connectTimeoutMs).message]
      : [RELAY_CLOSE_CODES.unreachable, unreachable(descriptor, describe(error)).message]
  } finally {
    clearTimeout(timer)
    request.signal.removeEventListener('abort', onClientAbort)
  }

  const pair = new Pair()
  const client = pair[0]
  const server = pair[1]
  server.binaryType = 'arraybuffer'
  server.accept()
  // The browser cannot read an HTTP refusal: it is upgraded, then told why in the close frame.
  if (refusal || !upstream) {
    const [code, reason] = refusal ?? [RELAY_CLOSE_CODES.unreachable, unreachable(descriptor, '').message]
    server.close(code, closeReason(redact(reason, plan.secrets)))
    return new Response(null, { status: 101, webSocket: client } as ResponseInit)
  }
  upstream.binaryType = 'arraybuffer'
  upstream.accept()
  const session = startSession(plan, side(server), side(upstream))
  wire(session, 'browser', server)
  wire(session, 'upstream', upstream)
  const offered =
    request.headers
      .get('sec-websocket-protocol')
      ?.split(',')
      .map((item) => item.trim()) ?? []
  const echoed = chosen !== null && plan.protocols.includes(chosen) && offered.includes(chosen) ? chosen : undefined
  return new Response(null, {
    status: 101,
    webSocket: client,
    headers: echoed ? { 'sec-websocket-protocol': echoed } : {},
  } as ResponseInit)
}
