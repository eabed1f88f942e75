// The WebSocket routes: the http server's 'upgrade' requests are checked here (path, key or token, query) and refused
// with the provider's own HTTP error before any upgrade, or handed to `ws` and then to the protocol's session.
//
//   GET /openai/v1/realtime?intent=transcription           Authorization: Bearer <key | ek_…>, or the subprotocols
//                                                           ["realtime", "openai-insecure-api-key.<key | ek_…>"]
//   GET /elevenlabs/v1/speech-to-text/realtime?model_id=…  xi-api-key: <key>, or ?token=<single-use token>
import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http'
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import { BEARER, checkKey } from '../auth.ts'
import { EngineMissingError } from '../engines/programs.ts'
import { elevenlabs, elevenlabsValidation } from '../routes/elevenlabs.ts'
import { openai, openaiError } from '../routes/openai.ts'
import type { JsonReply, SpeechServerEvent } from '../types.ts'
import { ElevenLabsRealtime, parseScribeQuery, type ScribeConfig } from './elevenlabs.ts'
import { describeRealtimeFault, type RealtimeFaults, type RealtimeProtocol } from './faults.ts'
import { applySessionUpdate, defaultInputConfig, OpenAIRealtime, type SessionConfig } from './openai.ts'
import type { RealtimeEngine } from './recognizer.ts'
import type { RealtimeLimits, RealtimeSocket, SessionContext } from './socket.ts'
import type { RealtimeTokens } from './tokens.ts'

// Required, not imported: ws is CommonJS, and the browser tests load this server inside Vite's SSR graph,
// which inlines (and cannot run) CommonJS modules that are imported.
const { WebSocketServer } = createRequire(import.meta.url)('ws') as typeof import('ws')

export const OPENAI_REALTIME_PATH = '/openai/v1/realtime'
export const SCRIBE_REALTIME_PATH = '/elevenlabs/v1/speech-to-text/realtime'
const CREDENTIAL_PROTOCOL = 'openai-insecure-api-key.'

export interface RealtimeDeps {
  apiKey: string
  tokens: RealtimeTokens
  engine: RealtimeEngine
  limits: RealtimeLimits
  /** Present when the server obeys faults. */
  faults: RealtimeFaults | undefined
  nextId: () => number
  emit: (event: SpeechServerEvent) => void
  log: (line: string) => void
}

export interface RealtimeServer {
  /** Sockets open now. */
  sessions(): number
  /** Closes every socket (without a close handshake) and ends every decoder process. */
  close(): Promise<void>
}

type Accepted =
  | { protocol: 'openai'; config: SessionConfig }
  | { protocol: 'elevenlabs'; config: ScribeConfig; token?: string }

export function attachRealtime(server: Server, deps: RealtimeDeps): RealtimeServer {
  const sockets = new Set<WebSocket>()
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Above the limit the session enforces, so that a somewhat bigger frame gets the provider's own error; past
    // twice the limit and a mebibyte, ws itself closes with 1009.
    maxPayload: deps.limits.maxFrameBytes * 2 + 1024 * 1024,
    // Echo `realtime` only: the credential subprotocol must never be echoed.
    handleProtocols: (protocols, req) =>
      req.url?.startsWith(OPENAI_REALTIME_PATH) && protocols.has('realtime') ? 'realtime' : false,
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {})
    const id = deps.nextId()
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname.replace(/(.)\/+$/, '$1')
    deps.emit({ type: 'request', id, method: req.method ?? 'GET', path })
    const refuse = (reply: JsonReply) => {
      deps.emit({ type: 'response', id, status: reply.status, ms: 0 })
      deps.log(`${req.method} ${path} (upgrade) ${reply.status}`)
      const body = JSON.stringify(reply.body)
      socket.once('finish', () => socket.destroy())
      socket.end(
        `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}\r\n` +
          'Content-Type: application/json\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      )
    }

    const decision = decide(req, path, url.searchParams, deps)
    if ('status' in decision) return refuse(decision)
    try {
      deps.engine.check()
    } catch (error) {
      const missing = error instanceof EngineMissingError ? error.message : undefined
      if (!missing) deps.log(`${path} (upgrade): ${error instanceof Error ? error.stack : String(error)}`)
      return refuse(
        decision.protocol === 'openai' ? openai.errors.status(500, missing) : elevenlabs.errors.status(500, missing),
      )
    }
    if (
      decision.protocol === 'elevenlabs' &&
      decision.token !== undefined &&
      !deps.tokens.consumeSingleUse(decision.token)
    )
      return refuse(elevenlabs.errors.unauthorized('invalid'))

    wss.handleUpgrade(req, socket, head, (ws) => {
      deps.emit({ type: 'response', id, status: 101, ms: 0 })
      sockets.add(ws)
      const fault = deps.faults?.take(decision.protocol as RealtimeProtocol)
      if (fault) deps.emit({ type: 'fault', id, fault: describeRealtimeFault(fault) })
      const ctx: SessionContext = {
        id,
        protocol: decision.protocol,
        engine: deps.engine,
        limits: deps.limits,
        fault,
        emit: deps.emit,
        log: deps.log,
        onClosed: () => sockets.delete(ws),
      }
      const session: RealtimeSocket =
        decision.protocol === 'openai'
          ? new OpenAIRealtime(ws, ctx, decision.config)
          : new ElevenLabsRealtime(ws, ctx, decision.config)
      session.start()
    })
  })

  return {
    sessions: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.terminate()
      wss.close()
      await deps.engine.close()
    },
  }
}

/** Which session the upgrade asks for, or the provider's HTTP error that refuses it. */
function decide(req: IncomingMessage, path: string, query: URLSearchParams, deps: RealtimeDeps): Accepted | JsonReply {
  const method = req.method ?? 'GET'
  if (path === OPENAI_REALTIME_PATH) {
    if (method !== 'GET') return openai.errors.routing(405, method, path)
    const failure = openaiAuth(req, deps)
    if (typeof failure === 'string') return openai.errors.unauthorized(failure)
    if (query.has('model') || query.has('call_id') || query.get('intent') !== 'transcription')
      return openaiError(
        400,
        'This local server speaks Realtime transcription sessions only: connect with ?intent=transcription (and no model).',
        'invalid_request_error',
        'intent',
        'invalid_value',
      )
    return { protocol: 'openai', config: failure.config }
  }
  if (path === SCRIBE_REALTIME_PATH) {
    if (method !== 'GET') return elevenlabs.errors.routing(405, method, path)
    const token = query.get('token') ?? undefined
    const header = req.headers['xi-api-key']
    if (header === undefined && token === undefined) return elevenlabs.errors.unauthorized('missing')
    if (header !== undefined) {
      const failure = checkKey(header, deps.apiKey, { header: 'xi-api-key' })
      if (failure) return elevenlabs.errors.unauthorized(failure)
    } else if (!deps.tokens.hasSingleUse(token!)) return elevenlabs.errors.unauthorized('invalid')
    const config = parseScribeQuery(query)
    if ('loc' in config)
      return elevenlabsValidation([{ loc: ['query', config.loc], msg: config.msg, type: config.type }])
    return { protocol: 'elevenlabs', config, ...(header === undefined && { token }) }
  }
  if (path === '/openai' || path.startsWith('/openai/')) return openai.errors.routing(404, method, path)
  if (path === '/elevenlabs' || path.startsWith('/elevenlabs/')) return elevenlabs.errors.routing(404, method, path)
  return {
    kind: 'json',
    status: 404,
    body: { error: 'Not Found', websockets: [OPENAI_REALTIME_PATH, SCRIBE_REALTIME_PATH] },
  }
}

/** The session configuration the credential opens, or why it is refused. */
function openaiAuth(req: IncomingMessage, deps: RealtimeDeps): { config: SessionConfig } | 'missing' | 'invalid' {
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
  const fromProtocol = protocols.find((p) => p.startsWith(CREDENTIAL_PROTOCOL))?.slice(CREDENTIAL_PROTOCOL.length)
  const header = req.headers.authorization
  const fromHeader = header === undefined ? undefined : /^\s*Bearer\s+(\S+)\s*$/i.exec(header)?.[1]
  if (header === undefined && fromProtocol === undefined) return 'missing'
  const credential = header !== undefined ? fromHeader : fromProtocol
  if (!credential) return 'invalid'
  const defaults: SessionConfig = { input: defaultInputConfig(), include: null }
  if (!checkKey(`Bearer ${credential}`, deps.apiKey, BEARER)) return { config: defaults }
  const minted = deps.tokens.clientSecret(credential)
  if (!minted) return 'invalid'
  const config = applySessionUpdate(defaults, minted)
  return 'code' in config ? { config: defaults } : { config }
}
