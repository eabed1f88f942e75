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

interface Target {
  readonly secure: boolean
  readonly hostname: string
  readonly port: string
  readonly path: string
}

const targets = new Map<string, Target>()
/**
 * An upstream URL as node:http's request options, parsed once per URL rather than for every request
 * (by `new URL`, then again by node:http for a URL object): a plan's URL is one of a few (base URL,
 * endpoint, allowed query). At most 256 are kept.
 */
function targetOf(url: string): Target {
  let target = targets.get(url)
  if (target) return target
  const parsed = new URL(url)
  target = {
    secure: parsed.protocol === 'https:',
    // node:http wants an IPv6 literal without its brackets.
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port,
    path: `${parsed.pathname}${parsed.search}`,
  }
  if (targets.size >= 256) targets.clear()
  targets.set(url, target)
  return target
}

/**
 * One timer for the idle timeout, re-armed on every sign of progress with `refresh()` (an O(1) move to
 * the end of its timer list) rather than cleared and created again per chunk. It keeps the semantics of
 * streams.ts's idleTimer: it fires `ms` after the last touch.
 */
function nodeIdleTimer(ms: number, onIdle: () => void): { touch: () => void; clear: () => void } {
  let cleared = false
  const handle = setTimeout(() => {
    if (!cleared) onIdle()
  }, ms)
  return {
    touch: () => {
      if (!cleared) handle.refresh()
    },
    clear: () => {
      cleared = true
      clearTimeout(handle)
    },
  }
}

/**
 * What is kept of the body sent upstream on a reused keep-alive socket, to send it again on a fresh one
 * should that socket turn out to be closed (below). Past this, the copy is dropped and a reset socket
 * fails the request as any other: a provider never gets a body with a part missing.
 */
const REPLAY_LIMIT = 128 * 1024

/**
 * Forwards `req` as `plan` says and answers on `res`. `fail` gives the provider-shaped answer to a
 * failure met before the response started; after it started, a failure cuts the response.
 */
export function forwardOnNode(
  req: IncomingMessage,
  res: ServerResponse,
  plan: UpstreamPlan,
  fail: Policy['fail'],
  signal: { readonly aborted: boolean },
): void {
  const { modules, agents } = nodeClients() as Clients
  const { limit, rewrite } = plan
  let failure: ProxyError | undefined
  let upstream: Http.ClientRequest | undefined
  let answered = false
  let uploadDone = false
  let finished = false

  const timer = nodeIdleTimer(plan.timeoutMs, () => stop(timedOut(plan.timeoutMs)))
  const cleanup = () => {
    finished = true
    timer.clear()
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

  // The upstream request. A keep-alive socket the provider closed while it sat idle can be handed out
  // just as the close arrives: the request then fails with ECONNRESET on `reusedSocket`. Node's remedy
  // is to send it again; that is safe while what went out on that socket is known in full, so the
  // body sent on a reused socket is kept (up to REPLAY_LIMIT) until the provider answers, and sent again
  // once on a new request. A body larger than that, or a second failure, fails as any other would.
  const headers = { ...plan.headers }
  let replay: (Uint8Array | string)[] | null = null
  let replayBytes = 0
  let retried = false
  let ended = false
  const sendUp = (chunk: Uint8Array | string): boolean => {
    if (replay) {
      replayBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
      if (replayBytes > REPLAY_LIMIT) replay = null
      else replay.push(chunk)
    }
    return (upstream as Http.ClientRequest).write(chunk)
  }
  const endUp = (last?: string) => {
    ended = true
    if (last !== undefined) sendUp(last)
    ;(upstream as Http.ClientRequest).end()
  }

  const open = (): Http.ClientRequest => {
    const { secure, hostname, port, path } = targetOf(plan.url)
    const request = (secure ? modules.https : modules.http).request({
      protocol: secure ? 'https:' : 'http:',
      hostname,
      port,
      path,
      method: 'POST',
      headers,
      agent: secure ? agents.https : agents.http,
    })
    upstream = request
    replay = request.reusedSocket && !retried ? [] : null
    replayBytes = 0
    request.on('error', (error: Error & { code?: string }) => {
      if (request !== upstream) return
      if (replay && request.reusedSocket && error.code === 'ECONNRESET' && !answered && !finished) {
        const sent = replay
        retried = true
        open()
        let flowing = true
        for (const chunk of sent) flowing = sendUp(chunk) && flowing
        if (ended) (upstream as Http.ClientRequest).end()
        // The upload may have been paused by the reset request's backpressure: the new one drains it.
        else if (flowing) req.resume()
        return
      }
      stop(failure ?? unreachable(plan.descriptor, describe(error)))
    })
    request.on('drain', () => {
      if (request === upstream) req.resume()
    })
    request.on('response', (answer) => {
      if (request !== upstream) return void answer.resume()
      replay = null
      onResponse(answer)
    })
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
    const out: Record<string, string | string[]> = { ...plan.cors }
    for (const name in answer.headers) {
      const value = answer.headers[name]
      if (value === undefined || !responseHeaderAllowed(name)) continue
      if (decode && name === 'content-length') continue
      out[name] = value
    }
    answered = true
    const passed = passedStatus(status)
    res.writeHead(passed, out)
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
  // The client going away, before or after the answer started (as toNodeListener's signal says, which
  // is not listened to: an AbortSignal's listener costs more than these two).
  res.once('close', () => {
    if (!res.writableFinished) stop(clientAborted())
  })
  req.once('close', () => {
    if (!req.complete && !res.writableFinished) stop(clientAborted())
  })
  if (signal.aborted || res.destroyed) {
    stop(clientAborted())
    return
  }

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
      open()
      endUp(rewritten)
    }
  } else {
    if (plan.length !== undefined && rewrite === undefined) headers['content-length'] = String(plan.length)
    open()
    if (rewrite?.kind === 'multipart') {
      const rewriter = multipartRewriter(rewrite.boundary, rewrite.field, rewrite.value)
      let flowing = true
      const emit = (chunk: Uint8Array) => {
        flowing = sendUp(chunk) && flowing
      }
      write = (chunk) => {
        flowing = true
        rewriter.write(chunk, emit)
        return flowing
      }
      endUpload = () => {
        rewriter.end(emit)
        endUp()
      }
    } else {
      write = sendUp
      endUpload = () => endUp()
    }
  }
  req.on('data', onUploadData)
  req.on('end', onUploadEnd)
  req.on('error', () => stop(clientAborted()))
}
