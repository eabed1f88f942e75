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

/** A header name as the Fetch Headers class accepts it (a token); any other name is left to that class. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * The request's head as `decide` reads it on the Node path — `url`, `method`, `headers.get(name)` and
 * `signal` — without undici's Request, whose construction (Headers, URL, a dependent AbortSignal: about
 * 40 µs on the bench machine) was the largest part of the Node path's own work per request. Every other member of Request and Headers is there too,
 * and builds the real Request (head only, as before) on first use: the app's `user` resolver gets an
 * object that answers like a Request (`instanceof Request` included), whatever it reads. One thing it
 * cannot be is the input of `new Request()` or `fetch()`, which read undici's own internal state.
 */
class NodeRequestHead {
  readonly url: string
  readonly method: string
  readonly signal: ClientSignal
  readonly headers: NodeRequestHeaders
  readonly #request: IncomingMessage
  #real: Request | undefined

  constructor(request: IncomingMessage, url: string, method: string, signal: ClientSignal) {
    this.#request = request
    this.url = url
    this.method = method
    this.signal = signal
    this.headers = new NodeRequestHeaders(request.headers, this)
  }

  /** The Request this head stands for, built on first need. */
  real(): Request {
    this.#real ??= toRequest(this.#request, this.url, this.signal.real())
    return this.#real
  }

  /** The real Request if something has needed it. */
  built(): Request | undefined {
    return this.#real
  }
}

class NodeRequestHeaders {
  readonly #headers: IncomingMessage['headers']
  readonly #head: NodeRequestHead

  constructor(headers: IncomingMessage['headers'], head: NodeRequestHead) {
    this.#headers = headers
    this.#head = head
  }

  /** What the Headers of a Request built from the same IncomingMessage answer (toRequest). */
  get(name: string): string | null {
    // Once the real Request exists (and could have been changed), it answers; an odd name, it refuses.
    if (this.#head.built() || !TOKEN.test(name)) return this.real().get(name)
    const key = name.toLowerCase()
    const value = Object.hasOwn(this.#headers, key) ? this.#headers[key] : undefined
    if (value === undefined || key.startsWith(':')) return null
    return Array.isArray(value) ? value.join(', ') : value
  }

  real(): Headers {
    return this.#head.real().headers
  }
}

/**
 * The signal of a request on the Node path: aborted once the client has gone (the request closed before
 * it was read in full, or the response before it was finished). `aborted` and `reason` are read from
 * the sockets' state. A real AbortSignal (an EventTarget: 4-18 µs to make on the bench machine, against
 * 1-2 µs for a URL) is made only when something listens to it or passes it on (a token route's fetch,
 * the Request of a `user` resolver), and is then aborted by the close events as before.
 */
class ClientSignal {
  readonly #req: IncomingMessage
  readonly #res: ServerResponse
  #real: AbortSignal | undefined
  #reason: Error | undefined

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req
    this.#res = res
  }

  #gone(): boolean {
    return (this.#req.destroyed && !this.#req.complete) || (this.#res.destroyed && !this.#res.writableFinished)
  }

  get aborted(): boolean {
    return this.#real ? this.#real.aborted : this.#gone()
  }

  get reason(): unknown {
    if (this.#real) return this.#real.reason
    if (!this.#gone()) return undefined
    this.#reason ??= new Error('the client closed the connection')
    return this.#reason
  }

  real(): AbortSignal {
    if (this.#real) return this.#real
    const abort = new AbortController()
    this.#real = abort.signal
    const req = this.#req
    const res = this.#res
    const onGone = () => {
      if (!res.writableFinished) abort.abort(this.#reason ?? new Error('the client closed the connection'))
    }
    if (this.#gone()) onGone()
    else {
      req.once('close', () => {
        if (!req.complete) onGone()
      })
      res.once('close', onGone)
    }
    return this.#real
  }
}

/**
 * Every other member of Request.prototype (Headers.prototype, AbortSignal.prototype) on the light
 * objects above, taken from the real one on first use: methods bound to it, accessors read from it (and
 * written to it), plain values (the toStringTag) copied. Installed once, when the first Node-path
 * listener is made: Request is a global Node loads on first touch, and createVoiceProxy has touched it.
 */
let delegated = false
function delegateTheRest(): void {
  if (delegated) return
  delegated = true
  const delegate = (light: { prototype: object }, real: { prototype: object }, to: (self: never) => object) => {
    const own = new Set<PropertyKey>(Object.getOwnPropertyNames(light.prototype))
    // The real class's prototype and what it inherits (AbortSignal's addEventListener is EventTarget's).
    for (let proto = real.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Reflect.ownKeys(proto)) {
        if (key === 'constructor' || own.has(key)) continue
        own.add(key)
        const descriptor = Object.getOwnPropertyDescriptor(proto, key)
        if (descriptor && 'value' in descriptor && typeof descriptor.value !== 'function') {
          Object.defineProperty(light.prototype, key, descriptor)
          continue
        }
        Object.defineProperty(light.prototype, key, {
          configurable: true,
          get(this: never) {
            const object = to(this)
            const value: unknown = Reflect.get(object, key, object)
            return typeof value === 'function' && !descriptor?.get ? value.bind(object) : value
          },
          ...(descriptor?.set
            ? {
                set(this: never, value: unknown) {
                  const object = to(this)
                  Reflect.set(object, key, value, object)
                },
              }
            : {}),
        })
      }
    }
    Object.setPrototypeOf(light.prototype, real.prototype)
  }
  delegate(NodeRequestHead, Request, (self: NodeRequestHead) => self.real())
  delegate(NodeRequestHeaders, Headers, (self: NodeRequestHeaders) => self.real())
  delegate(ClientSignal, AbortSignal, (self: ClientSignal) => self.real())
}

/** Forbidden methods: the Fetch Request constructor refuses them (the Node path answers them the same way). */
const FORBIDDEN_METHOD = /^(TRACE|TRACK|CONNECT)$/i

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
  if (onNode) delegateTheRest()
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
    let parsed: URL | undefined
    try {
      parsed = new URL(`${scheme}://${host}${raw}`)
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
    const method = req.method ?? 'GET'
    const refuse = () => {
      // The Fetch Request constructor refuses some requests Node's parser accepts: the forbidden methods
      // TRACE and TRACK (CONNECT never gets here). Thrown from this listener, that would be an uncaught
      // exception that takes the whole process down: answer it instead.
      req.resume()
      const refusal = FORBIDDEN_METHOD.test(method)
        ? methodNotAllowed(method)
        : badRequest('The request could not be read.')
      void send(errorResponse(undefined, refusal, { allow: 'POST, OPTIONS' }), res)
    }
    // The URL as a Request would give it (serialised by the URL parser, as undici's is).
    const url = parsed.href
    let handled: Promise<void>
    if (onNode && policy) {
      if (FORBIDDEN_METHOD.test(method)) return refuse()
      const signal = new ClientSignal(req, res)
      const head = new NodeRequestHead(req, url, method, signal) as unknown as Request
      handled = policy.decide(head).then((decision) => {
        if (decision.kind === 'answer') return send(decision.response, res)
        forwardOnNode(req, res, decision.plan, policy.fail, signal)
      })
    } else {
      const abort = new AbortController()
      const onGone = () => {
        if (!res.writableFinished) abort.abort(new Error('the client closed the connection'))
      }
      req.once('close', () => {
        if (!req.complete) onGone()
      })
      res.once('close', onGone)
      const body = method === 'GET' || method === 'HEAD' ? undefined : bodyOf(req)
      // Once the answer is out, whatever of the upload is still arriving is of no use to anyone.
      if (body) res.once('finish', () => body.discard())
      let request: Request
      try {
        request = toRequest(req, url, abort.signal, body?.stream)
      } catch {
        return refuse()
      }
      handled = handler(request).then((response) => send(response, res))
    }
    handled.catch((error: unknown) => {
      if (next) next(error)
      else if (!res.headersSent) {
        res.statusCode = 500
        res.end()
      } else res.destroy()
    })
  }
}
