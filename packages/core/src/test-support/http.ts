// A real HTTP server on 127.0.0.1 for transport tests: it records every request
// (headers and raw body bytes) and answers through the test's handler.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { isVoiceError, type VoiceError } from '../errors'

export interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}

export type Handler = (request: Received, response: ServerResponse) => void | Promise<void>

export interface TestServer {
  url: string
  received: Received[]
  /** Replaces the handler for the next requests. */
  handle(handler: Handler): void
  close(): Promise<void>
}

export async function startServer(
  handler: Handler = (_request, response) => {
    response.end()
  },
): Promise<TestServer> {
  let current = handler
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      }
      received.push(request)
      Promise.resolve(current(request, res)).catch((error: unknown) => {
        res.statusCode = 599
        res.end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    handle(next) {
      current = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Sends `body` as JSON (or as the raw string given) with a status. */
export function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(text)
}

/** Parses a received multipart body with the platform's own parser. */
export function formData(request: Received): Promise<FormData> {
  return new Request('http://test.invalid/', {
    method: 'POST',
    headers: { 'content-type': String(request.headers['content-type']) },
    body: new Uint8Array(request.body),
  }).formData()
}

export interface RawPart {
  headers: Record<string, string>
  name: string | undefined
  filename: string | undefined
  body: Buffer
}

/** Splits a multipart body by hand, to check each part's raw headers. */
export function rawParts(request: Received): RawPart[] {
  const type = String(request.headers['content-type'])
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type)
  if (!boundary) throw new Error(`not multipart: ${type}`)
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`)
  const parts: RawPart[] = []
  let at = request.body.indexOf(delimiter)
  while (at >= 0) {
    const start = at + delimiter.length
    if (request.body.subarray(start, start + 2).toString() === '--') break
    const next = request.body.indexOf(delimiter, start)
    const part = request.body.subarray(start + 2, next - 2) // drop CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n')
    const headers: Record<string, string> = {}
    for (const line of part.subarray(0, split).toString().split('\r\n')) {
      const colon = line.indexOf(':')
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    const disposition = headers['content-disposition'] ?? ''
    parts.push({
      headers,
      name: /\bname="([^"]*)"/.exec(disposition)?.[1],
      filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
      body: part.subarray(split + 4),
    })
    at = next
  }
  return parts
}

/** Bytes that look like the start of a WAV file, for uploads. */
export function wavBytes(size = 64): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  bytes.set(new TextEncoder().encode('RIFF'), 0)
  bytes.set(new TextEncoder().encode('WAVEfmt '), 8)
  for (let i = 44; i < size; i++) bytes[i] = i % 251
  return bytes
}

/** Reads a whole stream into one Uint8Array. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = []
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** Resolves with the error a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

/**
 * One test server for a test file: started before its tests, closed after them, and before each
 * test its record is cleared and it answers 200 with `body` again (a test may `handle` otherwise).
 */
export function useTestServer(body: unknown): TestServer {
  let server: TestServer | undefined
  const started = () => {
    if (!server) throw new Error('the test server is used before beforeAll started it')
    return server
  }
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server?.close())
  beforeEach(() => {
    started().received.length = 0
    started().handle((_request, response) => reply(response, 200, body))
  })
  return {
    get url() {
      return started().url
    },
    get received() {
      return started().received
    },
    handle: (handler) => started().handle(handler),
    close: () => started().close(),
  }
}

/** The VoiceError a promise rejects with; anything else fails the test. */
export async function voiceError(promise: Promise<unknown>): Promise<VoiceError> {
  const error = await rejection(promise)
  expect(isVoiceError(error), String(error)).toBe(true)
  return error as VoiceError
}
