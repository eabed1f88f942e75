// A browser's side of a real-time socket, played by a `ws` client: the Origin a browser would send, the
// cookies and credentials a careless page might add, every message with its type, the close it got.
import { WebSocket } from 'ws'

export interface Received {
  readonly data: Buffer
  readonly binary: boolean
}

export interface Opened {
  readonly kind: 'open'
  readonly ws: WebSocket
  /** The subprotocol the server echoed ('' for none). */
  readonly protocol: string
  /** The 101 response's headers. */
  readonly headers: Record<string, string | string[] | undefined>
  readonly messages: Received[]
  /** Resolves with the next message not yet taken. */
  next(): Promise<Received>
  readonly closed: Promise<{ code: number; reason: string }>
}

export interface Refused {
  readonly kind: 'refused'
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

export interface OpenOptions {
  origin?: string
  protocols?: string[]
  headers?: Record<string, string>
}

/** Opens a socket to `url` (`http://…` is turned into `ws://…`): open, or refused with an HTTP answer. */
export function openSocket(url: string, options: OpenOptions = {}): Promise<Opened | Refused> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), options.protocols ?? [], {
    ...(options.origin ? { origin: options.origin } : {}),
    headers: options.headers ?? {},
    perMessageDeflate: false,
  })
  const messages: Received[] = []
  const waiting: ((message: Received) => void)[] = []
  let taken = 0
  let upgradeHeaders: Opened['headers'] = {}
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  ws.on('message', (data, isBinary) => {
    const message = { data: Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer), binary: isBinary }
    messages.push(message)
    const waiter = waiting.shift()
    if (waiter) {
      taken++
      waiter(message)
    }
  })
  ws.on('upgrade', (response) => {
    upgradeHeaders = response.headers
  })
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_request, response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () =>
        resolve({ kind: 'refused', status: response.statusCode ?? 0, headers: response.headers, body }),
      )
      response.on('error', reject)
    })
    ws.on('error', (error) => {
      if (ws.readyState !== ws.OPEN && ws.readyState !== ws.CLOSING) reject(error)
    })
    ws.on('open', () =>
      resolve({
        kind: 'open',
        ws,
        protocol: ws.protocol,
        headers: upgradeHeaders,
        messages,
        next: () =>
          taken < messages.length
            ? Promise.resolve(messages[taken++] as Received)
            : new Promise<Received>((resolveNext) => waiting.push(resolveNext)),
        closed,
      }),
    )
  })
}

/** Opens, and fails the test unless the socket opened. */
export async function mustOpen(url: string, options?: OpenOptions): Promise<Opened> {
  const result = await openSocket(url, options)
  if (result.kind !== 'open') throw new Error(`expected the socket to open, got ${result.status}: ${result.body}`)
  return result
}

/** Opens, and fails the test unless the handshake was refused with an HTTP answer. */
export async function mustRefuse(url: string, options?: OpenOptions): Promise<Refused> {
  const result = await openSocket(url, options)
  if (result.kind !== 'refused') {
    result.ws.terminate()
    throw new Error('expected the handshake to be refused, but the socket opened')
  }
  return result
}
