// A fake provider for the real-time routes, on a real socket: a WebSocket server that records exactly what
// reached it (the handshake's path, query and headers, every message with its type, the close code it was
// sent), and an HTTP endpoint for the token routes that records the request it got. Each connection's
// behaviour can be set beforehand.
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'

export interface Frame {
  readonly data: Buffer
  readonly binary: boolean
}

export interface UpstreamSession {
  /** Path and query, as the proxy asked for them. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** The subprotocols the proxy offered (none: empty). */
  readonly offered: readonly string[]
  readonly ws: WebSocket
  readonly frames: Frame[]
  /** What the proxy's close frame said (1005: none; 1006: the connection dropped without one). */
  closed: { code: number; reason: string } | undefined
  readonly whenClosed: Promise<{ code: number; reason: string }>
}

export interface TokenRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

export type SocketBehaviour =
  /** Accept, then run `onOpen` (default: echo every message with its own type). */
  | { readonly kind: 'accept'; readonly onOpen?: (session: UpstreamSession) => void; readonly echo?: boolean }
  /** Refuse the handshake with this HTTP answer. */
  | { readonly kind: 'refuse'; readonly status: number; readonly body: string }
  /** Never answer the handshake. */
  | { readonly kind: 'hang' }

export interface TokenAnswer {
  readonly status: number
  readonly body: string
  readonly headers?: Record<string, string>
}

export interface SocketUpstream {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string
  /** TCP connections ever accepted: a refused handshake must not add one. */
  readonly connections: () => number
  readonly sessions: UpstreamSession[]
  readonly tokens: TokenRequest[]
  /** The behaviour of every handshake whose path contains `fragment` (a room name, say). */
  when(fragment: string, behaviour: SocketBehaviour): void
  nextToken(answer: TokenAnswer): void
  close(): Promise<void>
}

const bufferOf = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)

export async function startSocketUpstream(): Promise<SocketUpstream> {
  let connections = 0
  const sessions: UpstreamSession[] = []
  const tokens: TokenRequest[] = []
  const behaviours = new Map<string, SocketBehaviour>()
  const tokenQueue: TokenAnswer[] = []
  const sockets = new Set<Socket>()
  const wss = new WebSocketServer({
    noServer: true,
    // Like a provider: the first subprotocol offered.
    handleProtocols: (offered) => offered.values().next().value ?? false,
  })

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      tokens.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) })
      const answer = tokenQueue.shift() ?? {
        status: 200,
        body: JSON.stringify({ value: 'ek_test_secret', expires_at: 1_900_000_000, token: 'single-use-test' }),
      }
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'cache-control': 'max-age=600',
        ...answer.headers,
      })
      res.end(answer.body)
    })
  })
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = req.url ?? ''
    const behaviour = [...behaviours].find(([fragment]) => url.includes(fragment))?.[1] ?? { kind: 'accept' }
    if (behaviour.kind === 'hang') return
    if (behaviour.kind === 'refuse') {
      socket.end(
        `HTTP/1.1 ${behaviour.status} Refused\r\nlocation: http://127.0.0.1:1/elsewhere\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(behaviour.body)}\r\nconnection: close\r\n\r\n${behaviour.body}`,
      )
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let resolveClosed!: (value: { code: number; reason: string }) => void
      const session: UpstreamSession = {
        url: req.url ?? '',
        headers: req.headers,
        offered:
          req.headers['sec-websocket-protocol']
            ?.split(',')
            .map((item) => item.trim())
            .filter(Boolean) ?? [],
        ws,
        frames: [],
        closed: undefined,
        whenClosed: new Promise((resolve) => {
          resolveClosed = resolve
        }),
      }
      sessions.push(session)
      ws.on('error', () => {})
      ws.on('message', (data, isBinary) => {
        const frame = { data: bufferOf(data), binary: isBinary }
        session.frames.push(frame)
        if (behaviour.echo !== false) ws.send(frame.data, { binary: isBinary })
      })
      ws.on('close', (code, reason) => {
        session.closed = { code, reason: reason.toString() }
        resolveClosed(session.closed)
      })
      behaviour.onOpen?.(session)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    sessions,
    tokens,
    when: (fragment, behaviour) => behaviours.set(fragment, behaviour),
    nextToken: (answer) => tokenQueue.push(answer),
    close: async () => {
      for (const session of sessions) session.ws.terminate()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
