// toUpgradeListener: the real-time relay on Node (node:http, Express's `app.listen()` server, Vite). A
// handshake under basePath is decided by the policy (plan.ts) — refused with an HTTP answer in the
// provider's shape before anything is upgraded or any upstream connection made — then the provider's
// socket is opened with the key, and only once it is open is the browser's upgraded, echoing the
// subprotocol the provider chose. From then on relay/session.ts keeps the session inside its limits.
//
// `ws` is imported on the first upgrade, never before: the Fetch handler and Workers bundles never load
// it, and an app that serves no socket never pays for it.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type * as Ws from 'ws'
import { badRequest, errorResponse, notFound, timedOut, unreachable, upgradeRequired } from '../errors'
import { describe } from '../fetch-path'
import { RELAY_POLICY } from '../handler'
import type { Policy, SocketPlan } from '../plan'
import { isBelow } from '../routes'
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

type WsModule = typeof Ws
type WebSocket = Ws.WebSocket

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer, next?: () => void) => void

export interface UpgradeListenerOptions {
  /**
   * Upgrades whose path is not at or below it are left alone (for the server's other 'upgrade' listeners:
   * Vite's HMR socket, the app's own), or passed to `next` when one is given. Default: the handler's
   * own `basePath`.
   */
  basePath?: string
}

let wsModule: Promise<WsModule> | undefined
const loadWs = (): Promise<WsModule> => {
  // Required, not imported: ws is CommonJS for Node, and a bundler or Vite's SSR graph (which inlines
  // what is imported) would try to run it as ESM. Only this Node-only module ever asks for it.
  wsModule ??= import('node:module').then(({ createRequire }) => createRequire(import.meta.url)('ws') as WsModule)
  return wsModule
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  426: 'Upgrade Required',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** Answers the handshake with an HTTP response (never upgraded) and closes the connection. */
async function refuse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer())
  if (socket.destroyed) return
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? 'Error'}`]
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`)
  lines.push(`content-length: ${body.length}`, 'connection: close')
  socket.once('finish', () => socket.destroy())
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]))
}

/** The handshake as a Fetch Request (head only), for the policy. */
function toRequest(req: IncomingMessage, url: string): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else headers.set(name, value)
  }
  return new Request(url, { method: req.method ?? 'GET', headers })
}

/** What ws itself checks before upgrading: checked before the provider is contacted, not after. */
function handshakeProblem(req: IncomingMessage): string | undefined {
  const key = req.headers['sec-websocket-key']
  if (typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key))
    return 'Missing or invalid Sec-WebSocket-Key header.'
  const version = req.headers['sec-websocket-version']
  if (version !== '13' && version !== '8') return 'Missing or invalid Sec-WebSocket-Version header (13).'
  return undefined
}

/** One ws socket as the session drives it. */
function side(ws: WebSocket): Side<Buffer> {
  return {
    send(message, binary, written) {
      if (ws.readyState !== ws.OPEN) return
      ws.send(message, { binary }, () => written())
    },
    close(code, reason) {
      if (ws.readyState === ws.OPEN) ws.close(code, reason)
      else if (ws.readyState === ws.CONNECTING) ws.terminate()
    },
    buffered: () => ws.bufferedAmount,
    pause: () => ws.pause(),
    resume: () => ws.resume(),
  }
}

const sizeOf = (data: Ws.RawData): number =>
  Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength

function relay(plan: SocketPlan, browser: WebSocket, upstream: WebSocket): void {
  const session = startSession(plan, side(browser), side(upstream))
  const wire = (from: From, ws: WebSocket) => {
    ws.on('message', (data, isBinary) => session.message(from, data as Buffer, sizeOf(data), isBinary))
    ws.on('close', (code, reason) => session.closed(from, code, reason.toString('utf8')))
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes that side with 1009 itself; the other side is told why.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') session.oversize(from)
      // Anything else is followed by 'close' (1006 and the like), relayed as such.
    })
  }
  wire('browser', browser)
  wire('upstream', upstream)
}

/**
 * The relay for `server.on('upgrade', …)`. The handler must come from createVoiceProxy (its policy
 * decides every handshake).
 */
export function toUpgradeListener(
  handler: ((request: Request) => Promise<Response>) & { readonly basePath?: string },
  options: UpgradeListenerOptions = {},
): UpgradeListener {
  const policy = (handler as { [RELAY_POLICY]?: Policy })[RELAY_POLICY]
  if (!policy) throw new TypeError('toUpgradeListener: the handler must be one made by createVoiceProxy')
  const basePath = options.basePath ?? policy.basePath
  return (req, socket, head, next) => {
    const raw = req.url ?? '/'
    const queryAt = raw.search(/[?#]/)
    const path = queryAt === -1 ? raw : raw.slice(0, queryAt)
    if (!path.startsWith('/') || !isBelow(path, basePath)) {
      next?.()
      return
    }
    socket.on('error', () => {}) // a reset during the handshake is nobody's failure but the client's
    void upgrade(policy, req, socket, head, path).catch(() => socket.destroy())
  }
}

async function upgrade(policy: Policy, req: IncomingMessage, socket: Duplex, head: Buffer, path: string) {
  // As in toNodeListener: concatenated, not resolved, and a path the URL parser would rewrite is refused.
  const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost'
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
  const url = `${scheme}://${host}${req.url ?? '/'}`
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {}
  if (!parsed || parsed.pathname !== path) return refuse(socket, errorResponse(undefined, notFound()))
  let request: Request
  try {
    request = toRequest(req, url)
  } catch {
    return refuse(socket, errorResponse(undefined, badRequest('The request could not be read.')))
  }
  const decision = await policy.decideUpgrade(request)
  if (decision.kind === 'answer') return refuse(socket, decision.response)
  const { plan } = decision
  const problem = handshakeProblem(req)
  if (problem) {
    const error = problem.includes('Version') ? upgradeRequired(problem) : badRequest(problem)
    return refuse(socket, errorResponse(plan.descriptor, error, { 'sec-websocket-version': '13' }))
  }
  const ws = await loadWs()
  if (socket.destroyed) return
  connect(ws, plan, req, socket, head)
}

function connect(ws: WsModule, plan: SocketPlan, req: IncomingMessage, socket: Duplex, head: Buffer) {
  const { descriptor } = plan
  let settled = false
  const upstream = new ws.WebSocket(plan.url, [...plan.protocols], {
    headers: { ...plan.headers },
    maxPayload: plan.maxFrameBytes,
    perMessageDeflate: false,
    handshakeTimeout: plan.connectTimeoutMs,
    followRedirects: false,
  })
  // The browser gave up while the provider's handshake was under way.
  const onBrowserGone = () => {
    if (settled) return
    settled = true
    upstream.terminate()
  }
  socket.once('close', onBrowserGone)

  /** Upgrades the browser's connection (echoing `protocol` if it offered it); undefined if it is gone. */
  const accept = (protocol: string | undefined): WebSocket | undefined => {
    socket.off('close', onBrowserGone)
    const server = new ws.WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: plan.maxFrameBytes,
      // Only what the provider chose among the allowed ones the browser offered: never a credential.
      handleProtocols: (offered) => (protocol !== undefined && offered.has(protocol) ? protocol : false),
    })
    let browser: WebSocket | undefined
    server.handleUpgrade(req, socket, head, (client) => {
      browser = client
    })
    return browser
  }

  /** The browser is told, in the close frame, why there is no session (it cannot read an HTTP refusal). */
  const closeWith = (code: number, reason: string) => {
    if (settled) return
    settled = true
    const browser = accept(undefined)
    if (!browser) return
    browser.on('error', () => {})
    browser.close(code, closeReason(redact(reason, plan.secrets)))
  }

  upstream.on('unexpected-response', (request, response) => {
    const status = response.statusCode ?? 502
    const chunks: Buffer[] = []
    let length = 0
    let read = false
    const done = () => {
      if (read) return
      read = true
      clearTimeout(timer)
      // Never followed: a redirect is a provider that cannot be reached where it was configured.
      if (status >= 300 && status < 400) {
        closeWith(
          RELAY_CLOSE_CODES.unreachable,
          unreachable(descriptor, `it answered with a redirect, ${status}`).message,
        )
      } else {
        const words = providerWords(Buffer.concat(chunks).toString('utf8'))
        closeWith(refusedCloseCode(status), `${descriptor.name}: ${words || `it refused the connection (${status})`}`)
      }
      request.destroy()
      upstream.terminate()
    }
    const timer = setTimeout(done, plan.connectTimeoutMs)
    response.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length <= 4096) chunks.push(chunk)
      else response.destroy()
    })
    response.once('end', done)
    response.once('close', done)
    response.on('error', () => {})
  })
  upstream.on('error', (error: Error & { code?: string }) => {
    if (settled || upstream.readyState === upstream.OPEN) return
    const timeout = /handshake has timed out/i.test(error.message)
    if (timeout) closeWith(RELAY_CLOSE_CODES.upstreamTimeout, timedOut(plan.connectTimeoutMs).message)
    else closeWith(RELAY_CLOSE_CODES.unreachable, unreachable(descriptor, describe(error) || error.message).message)
  })
  upstream.once('open', () => {
    if (settled) {
      upstream.terminate()
      return
    }
    settled = true
    const browser = accept(upstream.protocol || undefined)
    if (!browser) {
      upstream.close(1001, 'The browser went away.')
      return
    }
    relay(plan, browser, upstream)
  })
}
