// startSpeechServer: the local speech backend, in-process (tests, the demo's Vite config) or from main.ts.
//
//   const server = await startSpeechServer({ port: 0, faults: true })
//   fetch(`${server.url}/dify/v1/text-to-audio`, { headers: { Authorization: `Bearer ${server.apiKey}` }, … })
//   await server.close()
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkKey, DEFAULT_API_KEY } from './auth.ts'
import { drainBody, jsonObject, readBody } from './body.ts'
import { EngineMissingError } from './engines/programs.ts'
import { createSpeechToText, type SpeechToTextOptions } from './engines/stt.ts'
import { createTextToSpeech, type TextToSpeechOptions } from './engines/tts.ts'
import { bodyFaultReply, describeFaults, FAULT_HEADER, type Faults, parseFaults } from './faults.ts'
import { RealtimeFaults } from './realtime/faults.ts'
import { RealtimeEngine } from './realtime/recognizer.ts'
import type { RealtimeLimits } from './realtime/socket.ts'
import { RealtimeTokens } from './realtime/tokens.ts'
import { attachRealtime, OPENAI_REALTIME_PATH, SCRIBE_REALTIME_PATH } from './realtime/upgrade.ts'
import { respond, sleep } from './respond.ts'
import { matchRoute, providerBases, providers, routePaths } from './routes/index.ts'
import {
  json,
  type Provider,
  type Reply,
  type RouteContext,
  type SpeechServerEvent,
  type StreamReply,
} from './types.ts'

export type { SpeechServerEvent } from './types.ts'
export { DEFAULT_API_KEY }

export interface SpeechServerOptions {
  /** Default 8787. 0 picks a free port (read it back from `port`/`url`). */
  port?: number
  /** Default '127.0.0.1'. */
  host?: string
  /** The key every route requires (in each provider's own header). Default: env SPEECH_SERVER_KEY, else DEFAULT_API_KEY. */
  apiKey?: string
  /** Obey the `x-speech-fault` request header (see faults.ts). Default false: the header is ignored. */
  faults?: boolean
  /** One human-readable line per request and per problem. Default: silent. */
  log?: (line: string) => void
  /** Everything the server does, with `performance.now()` timestamps where timing matters. */
  onEvent?: (event: SpeechServerEvent) => void
  /** Where pocketsphinx, its model and ffmpeg are (defaults: PATH and the Debian model folder; env overrides). */
  stt?: SpeechToTextOptions
  /** Where flite is (default: PATH; env override). */
  tts?: TextToSpeechOptions
  /** The real-time sockets' limits (small values let tests reach them), and the clock their tokens expire by. */
  realtime?: Partial<RealtimeLimits> & { now?: () => number }
}

export const REALTIME_DEFAULTS: RealtimeLimits = {
  maxFrameBytes: 15 * 1024 * 1024,
  maxSessionMs: 60 * 60 * 1000,
  maxSegmentMs: 90_000,
  interimEveryMs: 300,
}

export interface SpeechServer {
  /** e.g. `http://127.0.0.1:8787` (no trailing slash). */
  url: string
  host: string
  port: number
  apiKey: string
  faults: boolean
  /**
   * Each provider wire format it speaks: the provider's id and the path of its API root here, e.g.
   * `{ id: 'dify', base: '/dify/v1' }` (a proxy in front of it uses `${url}${base}` as that provider's baseUrl).
   */
  providers: readonly { id: string; base: string }[]
  /** Requests whose response has not closed yet (a stalled response counts until its client goes away). */
  activeRequests(): number
  /** Real-time sockets open now. */
  realtimeSessions(): number
  /** Decoder processes (pocketsphinx) the real-time sockets hold now. */
  realtimeProcesses(): number
  /** Stops listening and closes every connection, stalled ones included. */
  close(): Promise<void>
}

export async function startSpeechServer(options: SpeechServerOptions = {}): Promise<SpeechServer> {
  const host = options.host ?? '127.0.0.1'
  const apiKey = options.apiKey ?? process.env.SPEECH_SERVER_KEY ?? DEFAULT_API_KEY
  const faultsEnabled = options.faults ?? false
  const log = options.log ?? (() => {})
  const tts = createTextToSpeech(options.tts)
  const stt = createSpeechToText(options.stt)
  const tokens = new RealtimeTokens(options.realtime?.now)
  const engine = new RealtimeEngine(stt)
  const realtimeFaults = faultsEnabled ? new RealtimeFaults() : undefined
  let nextId = 0
  let active = 0

  const emit = (event: SpeechServerEvent) => {
    try {
      options.onEvent?.(event)
    } catch {}
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const id = ++nextId
    const started = performance.now()
    const method = req.method ?? 'GET'
    const controller = new AbortController()
    active++
    // A write racing a client that just left must not become an uncaught 'error' event.
    res.on('error', () => {})
    res.once('close', () => {
      active--
      if (!res.writableFinished) controller.abort()
      emit({ type: 'closed', id, finished: res.writableFinished })
    })
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/(.)\/+$/, '$1')
    emit({ type: 'request', id, method, path })

    let faults: Faults = {}
    let reply: Reply
    const provider = providers.find((p) => path === p.prefix || path.startsWith(`${p.prefix}/`))
    const matched = provider && matchRoute(provider, path)
    const route = matched?.route
    try {
      if (method === 'GET' && path === '/health') {
        reply = json(200, {
          ok: true,
          name: 'speech-server',
          routes: routePaths,
          websockets: [OPENAI_REALTIME_PATH, SCRIBE_REALTIME_PATH],
          faults: faultsEnabled,
          stt: engineStatus(stt),
          tts: engineStatus(tts),
          decoder: engineStatus({ check: stt.checkDecoder }),
        })
      } else if (path === '/_faults/realtime' && realtimeFaults) {
        reply = await armRealtimeFaults(req, method, realtimeFaults)
      } else if (!provider || !route) {
        await drainBody(req)
        reply = provider?.errors.routing(404, method, path) ?? json(404, { error: 'Not Found', routes: routePaths })
      } else if (method !== route.method) {
        await drainBody(req)
        reply = provider.errors.routing(405, method, path)
        res.setHeader('Allow', route.method)
      } else {
        const parsed = faultsEnabled ? parseFaults(req.headers[FAULT_HEADER]) : { ok: true as const, faults: {} }
        if (parsed.ok) {
          faults = parsed.faults
          if (Object.keys(faults).length > 0) emit({ type: 'fault', id, fault: describeFaults(faults) })
          if (faults.delay) await sleep(faults.delay, controller.signal)
          if (controller.signal.aborted) return
          reply = await answer(provider, route, faults, {
            id,
            req,
            params: matched.params,
            signal: controller.signal,
            tts,
            stt,
            tokens,
            emit,
          })
        } else {
          await drainBody(req)
          reply = provider.errors.status(400, `invalid ${FAULT_HEADER} header: ${parsed.error}`)
        }
        if (reply.kind === 'stream') reply = await prime(reply, provider)
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      emit({ type: 'error', id, message })
      log(`${method} ${path}: ${message}`)
      reply = provider?.errors.status(500) ?? json(500, { error: 'Internal Server Error' })
    }

    if (controller.signal.aborted) return
    const streaming = reply.kind === 'stream'
    await respond(res, reply, {
      faults,
      onChunkSent: (index, bytes) => {
        if (streaming) emit({ type: 'tts-chunk-sent', id, index, bytes, at: performance.now() })
      },
    })
    const ms = Math.round(performance.now() - started)
    emit({ type: 'response', id, status: reply.status, ms })
    log(`${method} ${path} ${reply.status} ${ms}ms${Object.keys(faults).length ? ` [${describeFaults(faults)}]` : ''}`)
  }

  /** Auth, then the faults that replace the answer (status, garbage, empty, null), then the route itself. */
  async function answer(provider: Provider, route: Provider['routes'][number], faults: Faults, ctx: RouteContext) {
    const failure = checkKey(ctx.req.headers[provider.auth?.header ?? 'authorization'], apiKey, provider.auth)
    if (failure) {
      await drainBody(ctx.req)
      return provider.errors.unauthorized(failure)
    }
    if (faults.status) {
      await drainBody(ctx.req)
      return provider.errors.status(faults.status)
    }
    const replaced = bodyFaultReply(faults, route.successType)
    if (replaced) {
      await drainBody(ctx.req)
      return replaced
    }
    return route.handle(ctx)
  }

  /** Produces the first chunk before the headers go out, so a failure in the first sentence is still an HTTP error. */
  async function prime(reply: StreamReply, provider: Provider): Promise<Reply> {
    const iterator = reply.chunks[Symbol.asyncIterator]()
    let first: IteratorResult<Uint8Array>
    try {
      first = await iterator.next()
    } catch (error) {
      log(`synthesis failed: ${error instanceof Error ? error.message : String(error)}`)
      // A missing engine says which Debian package to install; anything else stays a plain 500.
      return provider.errors.status(500, error instanceof EngineMissingError ? error.message : undefined)
    }
    async function* chunks() {
      try {
        if (first.done) return
        yield first.value
        for (;;) {
          const next = await iterator.next()
          if (next.done) return
          yield next.value
        }
      } finally {
        await iterator.return?.()
      }
    }
    return { ...reply, chunks: chunks() }
  }

  /** Whether an engine is installed, and if not, what to install. */
  function engineStatus(engine: { check(): void }): true | string {
    try {
      engine.check()
      return true
    } catch (error) {
      return error instanceof Error ? error.message : String(error)
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`unhandled: ${error instanceof Error ? error.stack : String(error)}`)
      res.destroy()
    })
  })
  const realtime = attachRealtime(server, {
    apiKey,
    tokens,
    engine,
    limits: realtimeLimits(options.realtime),
    faults: realtimeFaults,
    nextId: () => ++nextId,
    emit,
    log,
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8787, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    apiKey,
    faults: faultsEnabled,
    providers: providerBases,
    activeRequests: () => active,
    realtimeSessions: () => realtime.sessions(),
    realtimeProcesses: () => engine.live.size,
    close: async () => {
      await realtime.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

/** POST arms a real-time fault (see realtime/faults.ts), DELETE disarms them all. */
async function armRealtimeFaults(req: IncomingMessage, method: string, faults: RealtimeFaults): Promise<Reply> {
  if (method === 'DELETE') {
    await drainBody(req)
    faults.clear()
    return json(200, { armed: 0 })
  }
  if (method !== 'POST') {
    await drainBody(req)
    return json(405, { error: 'POST a fault, or DELETE them all' })
  }
  const body = await readBody(req, 64 * 1024)
  const parsed = body.overflow ? undefined : jsonObject(body.bytes)
  const result = faults.arm(parsed)
  return result.ok ? json(200, { armed: result.armed }) : json(400, { error: result.error })
}

function realtimeLimits(given: Partial<RealtimeLimits> = {}): RealtimeLimits {
  const limits = { ...REALTIME_DEFAULTS }
  for (const key of Object.keys(limits) as (keyof RealtimeLimits)[]) {
    const value = given[key]
    if (value !== undefined) limits[key] = value
  }
  return limits
}

/** Whether speech recognition is installed, and if not, what to install. */
export function speechToTextStatus(options?: SpeechToTextOptions): true | string {
  try {
    createSpeechToText(options).check()
    return true
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
