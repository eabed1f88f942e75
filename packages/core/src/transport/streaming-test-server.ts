// For the streaming transcription tests (Node): a real WebSocket server on 127.0.0.1 (the `ws` package) that
// records each connection's request and messages and lets the test answer as the provider would; upgrades
// can be refused with a status or left hanging. And a log of a session's events to wait on.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, beforeEach } from 'vitest'
import { type WebSocket, WebSocketServer } from 'ws'
import type { Json } from './decode'
import type { StreamingTranscriptionEvent } from './streaming'

export interface SocketPeer {
  /** The upgrade request's path and query. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** The subprotocol the server accepted ('' for none). */
  readonly protocol: string
  /** Every JSON text message received, in order. */
  readonly messages: Json[]
  /** The next message (after the last one `next` returned) whose `type` or `message_type` is `match`. */
  next(match?: string | ((message: Json) => boolean)): Promise<Json>
  send(message: Json): void
  close(code?: number, reason?: string): void
  /** Drops the TCP connection without a close frame (the client sees 1006). */
  terminate(): void
  /** How the client closed (or the connection ended). */
  readonly closed: Promise<{ code: number; reason: string }>
}

export type UpgradeMode = 'accept' | 'hang' | { status: number }

export interface SocketServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string
  /** `http://127.0.0.1:<port>` */
  readonly http: string
  /** How the next upgrades are answered. Default `accept`. */
  upgrade(mode: UpgradeMode): void
  /** Messages each accepted connection is sent at once, in the same turn as the handshake (as a provider does). */
  greet(...messages: Json[]): void
  /** The next connection accepted. */
  connection(): Promise<SocketPeer>
  /** Resolves when an upgrade request has arrived (whatever its answer). */
  requested(): Promise<IncomingHttpHeaders>
}

const kind = (message: Json) => message.type ?? message.message_type

function peer(socket: WebSocket, url: string, headers: IncomingHttpHeaders): SocketPeer {
  const messages: Json[] = []
  let cursor = 0
  let ended = false
  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of [...listeners]) listener()
  }
  socket.on('message', (data, binary) => {
    if (binary) return
    messages.push(JSON.parse(String(data)) as Json)
    notify()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => {
      ended = true
      resolve({ code, reason: String(reason) })
      notify()
    }),
  )
  return {
    url,
    headers,
    protocol: socket.protocol,
    messages,
    next(match) {
      const test = match === undefined ? () => true : typeof match === 'string' ? (m: Json) => kind(m) === match : match
      return new Promise((resolve, reject) => {
        const look = () => {
          for (let i = cursor; i < messages.length; i++) {
            const message = messages[i] as Json
            if (test(message)) {
              cursor = i + 1
              listeners.delete(look)
              return resolve(message)
            }
          }
          if (ended) {
            listeners.delete(look)
            reject(new Error(`closed before a ${String(match ?? 'further')} message`))
          }
        }
        listeners.add(look)
        look()
      })
    },
    send: (message) => socket.send(JSON.stringify(message)),
    close: (code, reason) => socket.close(code, reason),
    terminate: () => socket.terminate(),
    closed,
  }
}

/** A socket server per test (started before each, stopped after). */
export function useSocketServer(): SocketServer {
  let state:
    | {
        url: string
        http: string
        mode: UpgradeMode
        greeting: Json[]
        peers: SocketPeer[]
        waiting: ((peer: SocketPeer) => void)[]
        requests: IncomingHttpHeaders[]
        onRequest: (() => void)[]
        stop: () => Promise<void>
      }
    | undefined
  const current = () => {
    if (!state) throw new Error('the socket server runs inside a test')
    return state
  }

  beforeEach(async () => {
    const wss = new WebSocketServer({ noServer: true })
    const hanging = new Set<Socket>()
    const server = createServer((_request, response) => response.writeHead(426).end())
    const s = {
      url: '',
      http: '',
      mode: 'accept' as UpgradeMode,
      greeting: [] as Json[],
      peers: [] as SocketPeer[],
      waiting: [] as ((peer: SocketPeer) => void)[],
      requests: [] as IncomingHttpHeaders[],
      onRequest: [] as (() => void)[],
      stop: async () => {
        for (const client of wss.clients) client.terminate()
        for (const socket of hanging) socket.destroy()
        server.closeAllConnections()
        await new Promise<void>((resolve) => wss.close(() => server.close(() => resolve())))
      },
    }
    server.on('upgrade', (request, socket: Socket, head) => {
      s.requests.push(request.headers)
      for (const notify of s.onRequest.splice(0)) notify()
      const { mode } = s
      if (mode === 'hang') {
        hanging.add(socket)
        return
      }
      if (mode !== 'accept') {
        socket.end(`HTTP/1.1 ${mode.status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
        return
      }
      wss.handleUpgrade(request, socket, head, (client) => {
        const connected = peer(client, request.url ?? '', request.headers)
        for (const message of s.greeting) connected.send(message)
        const waiter = s.waiting.shift()
        if (waiter) waiter(connected)
        else s.peers.push(connected)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    s.url = `ws://127.0.0.1:${port}`
    s.http = `http://127.0.0.1:${port}`
    state = s
  })

  afterEach(async () => {
    await state?.stop()
    state = undefined
  })

  return {
    get url() {
      return current().url
    },
    get http() {
      return current().http
    },
    upgrade(mode) {
      current().mode = mode
    },
    greet(...messages) {
      current().greeting = messages
    },
    connection() {
      const s = current()
      const ready = s.peers.shift()
      return ready ? Promise.resolve(ready) : new Promise((resolve) => s.waiting.push(resolve))
    },
    requested() {
      const s = current()
      const seen = s.requests[0]
      return seen ? Promise.resolve(seen) : new Promise((resolve) => s.onRequest.push(() => resolve(s.requests[0]!)))
    },
  }
}

export interface EventLog {
  readonly events: StreamingTranscriptionEvent[]
  onEvent(event: StreamingTranscriptionEvent): void
  /** The events of one type so far. */
  of<T extends StreamingTranscriptionEvent['type']>(type: T): Extract<StreamingTranscriptionEvent, { type: T }>[]
  /** Resolves with the `count`-th event of `type` once it has been reported. */
  until<T extends StreamingTranscriptionEvent['type']>(
    type: T,
    count?: number,
  ): Promise<Extract<StreamingTranscriptionEvent, { type: T }>>
}

export function eventLog(): EventLog {
  const events: StreamingTranscriptionEvent[] = []
  const waiters: (() => void)[] = []
  const of = <T extends StreamingTranscriptionEvent['type']>(type: T) =>
    events.filter((event): event is Extract<StreamingTranscriptionEvent, { type: T }> => event.type === type)
  return {
    events,
    onEvent(event) {
      events.push(event)
      for (const waiter of waiters.splice(0)) waiter()
    },
    of,
    until(type, count = 1) {
      return new Promise((resolve) => {
        const look = () => {
          const found = of(type)[count - 1]
          if (found) resolve(found)
          else waiters.push(look)
        }
        look()
      })
    },
  }
}

/** PCM16 little-endian samples from base64, as floats. */
export function decodePcm16(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64')
  const samples = new Float32Array(bytes.length / 2)
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2) / 0x8000
  return samples
}

/** `seconds` of a sine at `hz`, sampled at 16 kHz. */
export function sine16k(seconds: number, hz = 440, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(Math.round(seconds * 16_000))
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / 16_000)
  return samples
}
