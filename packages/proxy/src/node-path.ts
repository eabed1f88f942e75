// Runs an upstream plan on Node's own sockets: the client's IncomingMessage is written to a node:http
// client request and the provider's answer to the ServerResponse, Buffer to Buffer, with backpressure
// both ways, without web streams in between. It decides nothing: the plan (plan.ts) says where, with
// which headers, under which limit and timeout, with which rewrite; the same guarantees as the Fetch
// path hold here — the limit counted while streaming (the provider gets at most the limit), idle
// timeouts both ways, aborts in both directions, no redirect followed, nothing buffered in full.
//
// node:http and node:https are taken from process.getBuiltinModule (Node ≥ 20.16), never imported: the
// package stays importable on Workers and edge runtimes, which use the Fetch path.
import type * as Http from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type * as Zlib from 'node:zlib'
import { rewriteJson } from './end-user'
import { badRequest, clientAborted, type ProxyError, timedOut, tooLarge, unreachable } from './errors'
import { bodiless, describe, isRedirect, passedStatus } from './fetch-path'
import { responseHeaderAllowed } from './headers'
import { MalformedMultipartError, multipartRewriter } from './multipart'
import { send } from './node-send'
import type { Policy, UpstreamPlan } from './plan'
import { idleTimer } from './streams'

type Builtins = { http: typeof Http; https: typeof Http; zlib: typeof Zlib }

interface Clients {
  readonly modules: Builtins
  readonly agents: { readonly http: Http.Agent; readonly https: Http.Agent }
}

function loadClients(): Clients | null {
  const load = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule
  if (typeof load !== 'function') return null
  const modules = {
    http: load('node:http') as typeof Http,
    https: load('node:https') as typeof Http,
    zlib: load('node:zlib') as typeof Zlib,
  }
  if (!modules.http?.request || !modules.https?.request) return null
  const options = { keepAlive: true, scheduling: 'lifo' as const }
  return { modules, agents: { http: new modules.http.Agent(options), https: new modules.https.Agent(options) } }
}

let clients: Clients | null | undefined

/** node:http, node:https, node:zlib and keep-alive agents, or null where the runtime has none. */
function nodeClients(): Clients | null {
  if (clients === undefined) clients = loadClients()
  return clients
}

/** Whether this runtime can take the Node path (Node ≥ 20.16; older Node and Bun keep the Fetch path). */
export const nodePathAvailable = () => nodeClients() !== null

/** A decoder for a content-encoding the runtime's fetch would also have undone. */
function decoder(zlib: typeof Zlib, encoding: string | undefined): Zlib.Gunzip | Zlib.BrotliDecompress | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip()
    case 'deflate':
      return zlib.createInflate()
    case 'br':
      return zlib.createBrotliDecompress()
    default:
      return undefined
  }
}

/**
 * Forwards `req` as `plan` says and answers on `res`. `fail` gives the provider-shaped answer to a
 * failure met before the response started; after it started, a failure cuts the response.
 */
export function forwardOnNode(
  req: IncomingMessage,
  res: ServerResponse,
  plan: UpstreamPlan,
  fail: Policy['fail'],
  signal: AbortSignal,
): void {
  const { modules, agents } = nodeClients() as Clients
  const { limit, rewrite } = plan
  let failure: ProxyError | undefined
  let upstream: Http.ClientRequest | undefined
  let answered = false
  let uploadDone = false
  let finished = false

  const timer = idleTimer(plan.timeoutMs, () => stop(timedOut(plan.timeoutMs)))
  const cleanup = () => {
    finished = true
    timer.clear()
    signal.removeEventListener('abort', onClientAbort)
  }
  /** Stops reading the upload; what is still arriving is drained and discarded, so the answer gets out. */
  const abandonUpload = () => {
    req.off('data', onUploadData)
    req.off('end', onUploadEnd)
    if (!req.complete) req.resume()
  }
  function stop(error: ProxyError) {
    if (finished) return
    failure ??= error
    cleanup()
    abandonUpload()
    upstream?.destroy(new Error(error.message))
    if (error.code === 'aborted') {
      res.destroy()
      return
    }
    if (!answered && !res.headersSent) {
      answered = true
      void send(fail(plan, error), res)
    } else res.destroy()
  }
  const onClientAbort = () => stop(clientAborted())
  signal.addEventListener('abort', onClientAbort, { once: true })
  timer.touch()

  // The upload: counted chunk by chunk; the chunk that would take it past the limit is never sent.
  let received = 0
  let write: (chunk: Uint8Array) => boolean = () => true
  let endUpload: () => void = () => {}
  function onUploadData(chunk: Buffer) {
    received += chunk.length
    if (received > limit) return stop(tooLarge(limit))
    timer.touch()
    let flowing: boolean
    try {
      flowing = write(chunk)
    } catch (error) {
      return stop(error instanceof MalformedMultipartError ? badRequest(error.message) : clientAborted())
    }
    if (!flowing) req.pause()
  }
  function onUploadEnd() {
    uploadDone = true
    try {
      endUpload()
    } catch (error) {
      stop(error instanceof MalformedMultipartError ? badRequest(error.message) : clientAborted())
    }
  }

  const open = (headers: Record<string, string>): Http.ClientRequest => {
    const url = new URL(plan.url)
    const secure = url.protocol === 'https:'
    const request = (secure ? modules.https : modules.http).request(url, {
      method: 'POST',
      headers,
      agent: secure ? agents.https : agents.http,
    })
    upstream = request
    request.on('error', (error) => stop(failure ?? unreachable(plan.descriptor, describe(error))))
    request.on('drain', () => req.resume())
    request.on('response', onResponse)
    return request
  }

  function onResponse(answer: IncomingMessage) {
    if (finished) {
      answer.resume()
      return
    }
    timer.touch()
    const status = answer.statusCode ?? 502
    if (isRedirect(status)) {
      answer.resume()
      return stop(unreachable(plan.descriptor, `it answered with a redirect, ${status}`))
    }
    const decode = decoder(modules.zlib, answer.headers['content-encoding'])
    const headers: Record<string, string | string[]> = { ...plan.cors }
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined || !responseHeaderAllowed(name)) continue
      if (decode && name === 'content-length') continue
      headers[name] = value
    }
    answered = true
    const passed = passedStatus(status)
    res.writeHead(passed, headers)
    if (bodiless(passed)) {
      answer.resume()
      cleanup()
      res.end()
      return
    }
    const body: Readable = decode ? answer.pipe(decode) : answer
    if (decode) decode.on('error', () => stop(unreachable(plan.descriptor, 'its answer could not be decoded')))
    res.on('drain', () => body.resume())
    body.on('data', (chunk: Buffer) => {
      timer.touch()
      if (!res.write(chunk)) body.pause()
    })
    body.on('end', () => {
      if (!answer.complete) return // a provider that dropped mid-body: 'aborted'/'close' below cut it
      cleanup()
      res.end()
    })
    answer.on('error', () => {}) // reported by 'close' below
    answer.on('close', () => {
      if (!answer.complete && !finished) stop(unreachable(plan.descriptor, 'its answer was cut off'))
    })
  }

  res.once('finish', () => {
    cleanup()
    // The answer is out: whatever of the upload is still arriving is of no use to anyone.
    if (!uploadDone) {
      abandonUpload()
      upstream?.destroy()
    }
  })
  res.once('close', () => {
    if (!res.writableFinished) stop(clientAborted())
  })

  const headers = { ...plan.headers }
  if (rewrite?.kind === 'json') {
    // A small JSON body (capped by `limit`), read whole and rewritten before the request opens.
    const chunks: Buffer[] = []
    write = (chunk) => {
      chunks.push(chunk as Buffer)
      return true
    }
    endUpload = () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const rewritten = rewriteJson(text, rewrite.field, rewrite.value)
      if (typeof rewritten !== 'string') return stop(rewritten)
      headers['content-type'] = 'application/json'
      headers['content-length'] = String(Buffer.byteLength(rewritten))
      open(headers).end(rewritten)
    }
  } else {
    if (plan.length !== undefined && rewrite === undefined) headers['content-length'] = String(plan.length)
    const request = open(headers)
    if (rewrite?.kind === 'multipart') {
      const rewriter = multipartRewriter(rewrite.boundary, rewrite.field, rewrite.value)
      let flowing = true
      const emit = (chunk: Uint8Array) => {
        flowing = request.write(chunk) && flowing
      }
      write = (chunk) => {
        flowing = true
        rewriter.write(chunk, emit)
        return flowing
      }
      endUpload = () => {
        rewriter.end(emit)
        request.end()
      }
    } else {
      write = (chunk) => request.write(chunk)
      endUpload = () => request.end()
    }
  }
  req.on('data', onUploadData)
  req.on('end', onUploadEnd)
  req.on('error', () => stop(clientAborted()))
}
