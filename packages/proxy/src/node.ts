// toNodeListener: a Fetch handler on node:http, Express and Connect. IncomingMessage becomes a Request
// whose body streams (with backpressure) and whose signal aborts when the client goes away; the
// Response streams back with backpressure, and its body is cancelled if the client disconnects.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { badRequest, errorResponse, methodNotAllowed, notFound, serverMisconfigured } from './errors'
import { POLICY } from './handler'
import { forwardOnNode, nodePathAvailable } from './node-path'
import { send } from './node-send'
import type { Policy } from './plan'
import { isBelow } from './routes'

export type FetchHandler = (request: Request) => Promise<Response>
export type NextFunction = (error?: unknown) => void
export type NodeListener = (request: IncomingMessage, response: ServerResponse, next?: NextFunction) => void

export interface NodeListenerOptions {
  /**
   * How the bytes travel on Node (default `'node'`): `'node'` forwards between Node's own sockets
   * (node:http to node:http, no web streams), `'fetch'` runs the handler's Fetch path (Request →
   * fetch → Response). Both apply the same policy. Handlers other than createVoiceProxy's, handlers
   * given their own `fetch`, and Node versions without process.getBuiltinModule take the Fetch path.
   */
  io?: 'node' | 'fetch'
  /**
   * Requests whose path is not at or below it go to `next()` (Express, Connect, Vite), or get a 404
   * under plain node:http. Default: the handler's own `basePath` (createVoiceProxy sets one).
   */
  basePath?: string
}

/**
 * A request body that streams from the socket with backpressure. Reading starts on the first pull, so a
 * body the handler never touches is left to Node, which discards it once the response is finished. A
 * body cancelled half-way (an early 413, say) is drained and discarded rather than the socket destroyed,
 * so that the answer still reaches the client and the connection stays usable.
 */
function bodyOf(request: IncomingMessage): { stream: ReadableStream<Uint8Array>; discard: () => void } {
  let finished = false
  let reading = false
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const onData = (chunk: Buffer) => {
    if (finished) return
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    if ((controller.desiredSize ?? 0) <= 0) request.pause()
  }
  const discard = () => {
    if (!reading || request.complete) return
    if (!finished) {
      finished = true
      controller.error(new Error('the request body was abandoned'))
    }
    request.off('data', onData)
    request.resume()
  }
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
        request.once('end', () => {
          if (finished) return
          finished = true
          controller.close()
        })
        request.once('close', () => {
          if (finished || request.complete) return
          finished = true
          controller.error(new Error('the client closed the request'))
        })
        request.once('error', (error) => {
          if (finished) return
          finished = true
          controller.error(error)
        })
      },
      pull() {
        if (!reading) {
          reading = true
          request.on('data', onData)
        }
        request.resume()
      },
      cancel() {
        finished = true
        discard()
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  )
  return { stream, discard }
}

/** The request as a Fetch Request; without `body`, its head only (the Node path streams the body itself). */
function toRequest(
  request: IncomingMessage,
  url: string,
  signal: AbortSignal,
  body?: ReadableStream<Uint8Array>,
): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name.startsWith(':')) continue // HTTP/2 pseudo-headers
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else headers.set(name, value)
  }
  return new Request(url, {
    method: request.method ?? 'GET',
    headers,
    signal,
    ...(body ? { body, duplex: 'half' } : {}),
  } as RequestInit)
}

/**
 * Adapts a Fetch handler to `(req, res, next?)`. Mount it before any body parser (express.json,
 * express.urlencoded, multer...): the proxy streams the raw body and cannot forward one already consumed.
 */
export function toNodeListener(
  handler: FetchHandler & { readonly basePath?: string },
  options: NodeListenerOptions = {},
): NodeListener {
  const basePath = options.basePath ?? handler.basePath
  const policy = (handler as { [POLICY]?: Policy })[POLICY]
  const onNode = options.io !== 'fetch' && policy !== undefined && nodePathAvailable()
  return (req, res, next) => {
    // Express and Connect strip a mount path from req.url; originalUrl keeps it.
    const raw = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/'
    const queryAt = raw.search(/[?#]/)
    const path = queryAt === -1 ? raw : raw.slice(0, queryAt)
    const ours = path.startsWith('/') && (basePath === undefined || isBelow(path, basePath))
    if (!ours) {
      if (next) next()
      else void send(errorResponse(undefined, notFound()), res)
      return
    }
    // Concatenated, not resolved: `//evil.example/...` stays a path on this host.
    const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost'
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
    const url = `${scheme}://${host}${raw}`
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {}
    // The URL parser would resolve dot segments (`..`, `%2e%2e`, backslashes): such a path is refused
    // here rather than routed as whatever it resolves to.
    if (!parsed || parsed.pathname !== path) {
      req.resume()
      void send(errorResponse(undefined, notFound()), res)
      return
    }
    // A body parser mounted in front (express.json, ...) has consumed the stream: say so, loudly.
    if (req.readableEnded || (req as IncomingMessage & { _body?: unknown })._body === true) {
      void send(
        errorResponse(
          undefined,
          serverMisconfigured('The voice proxy must be mounted before any body parser: the request body was consumed.'),
        ),
        res,
      )
      return
    }
    const abort = new AbortController()
    const onGone = () => {
      if (!res.writableFinished) abort.abort(new Error('the client closed the connection'))
    }
    req.once('close', () => {
      if (!req.complete) onGone()
    })
    res.once('close', onGone)
    const method = req.method ?? 'GET'
    const body = onNode || method === 'GET' || method === 'HEAD' ? undefined : bodyOf(req)
    // Once the answer is out, whatever of the upload is still arriving is of no use to anyone.
    res.once('finish', () => body?.discard())
    let request: Request
    try {
      request = toRequest(req, url, abort.signal, body?.stream)
    } catch {
      // The Fetch Request constructor refuses some requests Node's parser accepts: the forbidden methods
      // TRACE and TRACK (CONNECT never gets here). Thrown from this listener, that would be an uncaught
      // exception that takes the whole process down: answer it instead.
      req.resume()
      const refusal = /^(TRACE|TRACK|CONNECT)$/i.test(method)
        ? methodNotAllowed(method)
        : badRequest('The request could not be read.')
      void send(errorResponse(undefined, refusal, { allow: 'POST, OPTIONS' }), res)
      return
    }
    const handled =
      onNode && policy
        ? policy.decide(request).then((decision) => {
            if (decision.kind === 'answer') return send(decision.response, res)
            forwardOnNode(req, res, decision.plan, policy.fail, abort.signal)
          })
        : handler(request).then((response) => send(response, res))
    handled.catch((error: unknown) => {
      if (next) next(error)
      else if (!res.headersSent) {
        res.statusCode = 500
        res.end()
      } else res.destroy()
    })
  }
}
