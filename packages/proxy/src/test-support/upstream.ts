// A fake provider on a real socket that records everything reaching it: method, path, headers, body
// bytes, and whether the request ended normally or was aborted.
import { createHash } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Recorded {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly chunks: Buffer[]
  bytes: number
  /** The request body arrived in full. */
  complete: boolean
  /** The connection closed before the response was finished. */
  aborted: boolean
  /** The response was finished. */
  responded: boolean
  readonly startedAt: number
}

export type Behaviour = (req: IncomingMessage, res: ServerResponse, record: Recorded) => void | Promise<void>

export interface FakeUpstream {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string
  readonly requests: Recorded[]
  /** The behaviour for the next request (default: read the body, answer JSON `{ok, bytes}`). */
  respondNext(behaviour: Behaviour): void
  close(): Promise<void>
}

export const bodyOf = (record: Recorded): Buffer => Buffer.concat(record.chunks)
export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex')

/** Reads the whole body, then answers 200 JSON. */
export const echo: Behaviour = (req, res, record) => {
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ ok: true, bytes: record.bytes }))
  })
}

/** Reads the body and never answers. */
export const hold: Behaviour = () => {}

export async function startUpstream(): Promise<FakeUpstream> {
  const requests: Recorded[] = []
  const queue: Behaviour[] = []
  const open = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    const record: Recorded = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      chunks: [],
      bytes: 0,
      complete: false,
      aborted: false,
      responded: false,
      startedAt: Date.now(),
    }
    requests.push(record)
    open.add(res)
    req.on('data', (chunk: Buffer) => {
      record.chunks.push(chunk)
      record.bytes += chunk.length
    })
    req.on('end', () => {
      record.complete = true
    })
    res.on('finish', () => {
      record.responded = true
    })
    res.on('close', () => {
      open.delete(res)
      if (!res.writableFinished) record.aborted = true
    })
    req.on('error', () => {})
    res.on('error', () => {})
    void (queue.shift() ?? echo)(req, res, record)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondNext: (behaviour) => queue.push(behaviour),
    close: async () => {
      for (const res of open) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
