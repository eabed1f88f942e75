// Shared helpers for the fault, fuzz, attack and load tests: a seeded PRNG, a hard deadline, tiny WAVs,
// a raw-socket HTTP client, a proxy front on node:http, and a small custom upstream for the answers the
// speech server does not give (an empty 200, a `200 null` on every route, Fish text-to-speech).
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type HttpTransportOptions, isVoiceError, type SpeechTransport, type VoiceError } from '@voicekit/core'
import { createVoiceProxy, toNodeListener, type VoiceProxyHandler, type VoiceProxyOptions } from '@voicekit/proxy'
import { drainBody } from '../../apps/speech-server/src/body.ts'
import { bodyFaultReply, FAULT_HEADER, parseFaults } from '../../apps/speech-server/src/faults.ts'
import { respond, sleep } from '../../apps/speech-server/src/respond.ts'
import { fish } from '../../apps/speech-server/src/routes/fish.ts'
import type { Reply } from '../../apps/speech-server/src/types.ts'

export type TransportFactory = (options: HttpTransportOptions) => SpeechTransport

/**
 * Every two-way transport factory (`create…Transport`) that @voicekit/core's entry points export, by the
 * provider id its transports report: the suites iterate over these, so a new provider is in them by itself.
 */
export async function transportFactories(): Promise<Map<string, TransportFactory>> {
  const manifest = fileURLToPath(new URL('../../packages/core/package.json', import.meta.url))
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, unknown> }
  const found = new Map<string, TransportFactory>()
  for (const subpath of Object.keys(exports)) {
    const entry = (await import(/* @vite-ignore */ `@voicekit/core${subpath.slice(1)}`)) as Record<string, unknown>
    for (const [name, value] of Object.entries(entry)) {
      // createHttpTransport is the generic one: it needs a spec, not just options.
      if (!/^create\w+Transport$/.test(name) || name === 'createHttpTransport' || typeof value !== 'function') continue
      const create = value as TransportFactory
      found.set(create({ baseUrl: 'http://127.0.0.1:9' }).provider, create)
    }
  }
  return found
}

export const fixturesDir = fileURLToPath(new URL('../../fixtures/speech/', import.meta.url))

export function fixture(name: string): Uint8Array<ArrayBuffer> {
  const bytes = readFileSync(`${fixturesDir}${name}`)
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
}

/** mulberry32: a tiny seeded PRNG, so that a failing fuzz case can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Hang extends Error {
  override readonly name = 'Hang'
}

/** The promise's outcome, or a `Hang` error after `ms`: a hang fails the test instead of timing out the suite. */
export function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hang(`${what}: still pending after ${ms} ms`)), ms)
  })
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer))
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export async function waitUntil(condition: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Hang(`timed out after ${ms} ms waiting for ${what}`)
    await delay(10)
  }
}

/** A 16 kHz mono PCM WAV of `samples` zero samples (under 0.1 s the speech server answers without pocketsphinx). */
export function wav(samples: number, extra = 0): Uint8Array<ArrayBuffer> {
  const data = samples * 2 + extra
  const out = Buffer.alloc(44 + data)
  out.write('RIFF', 0, 'ascii')
  out.writeUInt32LE(36 + data, 4)
  out.write('WAVEfmt ', 8, 'ascii')
  out.writeUInt32LE(16, 16)
  out.writeUInt16LE(1, 20)
  out.writeUInt16LE(1, 22)
  out.writeUInt32LE(16_000, 24)
  out.writeUInt32LE(32_000, 28)
  out.writeUInt16LE(2, 32)
  out.writeUInt16LE(16, 34)
  out.write('data', 36, 'ascii')
  out.writeUInt32LE(data, 40)
  return new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer)
}

/** 50 ms of silence: a real WAV the speech server decodes, too short to start the recogniser. */
export const tinyWav = () => new Blob([wav(800)], { type: 'audio/wav' })

/** Whatever a promise ended in: a value, a VoiceError, or anything else (which is a failure of the property). */
export type Settled<T> = { ok: true; value: T } | { ok: false; voice: VoiceError } | { ok: false; foreign: unknown }

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise }
  } catch (error) {
    return isVoiceError(error) ? { ok: false, voice: error } : { ok: false, foreign: error }
  }
}

/** Reads a stream to its end, counting bytes; the error (if any) is returned, not thrown. */
export async function drain(
  body: ReadableStream<Uint8Array>,
  onChunk?: (index: number) => void,
): Promise<{ bytes: number; chunks: number; error?: unknown }> {
  const reader = body.getReader()
  let bytes = 0
  let chunks = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { bytes, chunks }
      bytes += value.byteLength
      onChunk?.(chunks++)
    }
  } catch (error) {
    return { bytes, chunks, error }
  }
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

export interface ProxyFront {
  url: string
  server: Server
  handlers: VoiceProxyHandler[]
  close(): Promise<void>
}

/** Several proxies (each under its own basePath) on one node:http server, as an app would mount them. */
export async function startProxies(
  configs: VoiceProxyOptions[],
  serverOptions: { headersTimeout?: number; requestTimeout?: number; connectionsCheckingInterval?: number } = {},
): Promise<ProxyFront> {
  const handlers = configs.map((config) => createVoiceProxy(config))
  const listeners = handlers.map((handler) => toNodeListener(handler))
  const server = createServer(serverOptions, (req, res) => {
    const run = (index: number) => {
      const listener = listeners[index]
      if (!listener) {
        res.statusCode = 404
        res.end('no proxy here')
        return
      }
      listener(req, res, () => run(index + 1))
    }
    run(0)
  })
  const url = await listen(server)
  return { url, server, handlers, close: () => closeServer(server) }
}

export interface CustomUpstream {
  url: string
  /** Requests whose response has not closed yet. */
  active(): number
  requests: number
  close(): Promise<void>
}

/**
 * Answers what the speech server cannot: Fish's `/v1/tts` (an MP3 streamed in chunks, Fish error shapes),
 * obeying the speech server's own `x-speech-fault` grammar, parser and writer.
 */
export async function startCustomUpstream(apiKey: string): Promise<CustomUpstream> {
  const mp3 = fixture('three-sentences.mp3')
  let active = 0
  const state = { requests: 0 }
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy())
  })
  async function handle(req: IncomingMessage, res: ServerResponse) {
    state.requests++
    active++
    const controller = new AbortController()
    res.on('error', () => {})
    res.once('close', () => {
      active--
      if (!res.writableFinished) controller.abort()
    })
    const path = req.url ?? '/'
    const parsed = parseFaults(req.headers[FAULT_HEADER])
    await drainBody(req)
    let reply: Reply
    const faults = parsed.ok ? parsed.faults : {}
    if (req.headers.authorization !== `Bearer ${apiKey}`) reply = fish.errors.unauthorized('invalid')
    else if (!parsed.ok) reply = fish.errors.status(400, parsed.error)
    else {
      if (faults.delay) await sleep(faults.delay, controller.signal)
      if (controller.signal.aborted) return
      if (path !== '/fish/v1/tts') reply = fish.errors.status(404)
      else if (faults.status) reply = fish.errors.status(faults.status)
      else
        reply = bodyFaultReply(faults, 'audio/mpeg') ?? {
          kind: 'stream',
          status: 200,
          contentType: 'audio/mpeg',
          chunks: chunked(mp3, 4096),
        }
    }
    await respond(res, reply, { faults })
  }
  const url = await listen(server)
  return {
    url,
    active: () => active,
    get requests() {
      return state.requests
    },
    close: () => closeServer(server),
  }
}

async function* chunked(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) {
    yield bytes.subarray(at, at + size)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

export interface RawExchange {
  /** Everything the server sent back, as latin1 text. */
  text: string
  /** The HTTP status of every response on the connection, in order. */
  statuses: number[]
  /** The server closed the connection (rather than the read deadline ending it). */
  closedByServer: boolean
  ms: number
}

/**
 * Writes bytes to a fresh TCP connection exactly as given (no client-side parsing or normalisation),
 * optionally in timed pieces, and collects the answer until the server closes, `readMs` passes, or
 * (with `idleMs`) the answer has been quiet that long after its first bytes (a kept-alive connection).
 */
export function rawExchange(
  url: string,
  pieces: (string | Uint8Array | { wait: number })[],
  readMs = 3_000,
  idleMs?: number,
): Promise<RawExchange> {
  const { hostname, port } = new URL(url)
  const started = Date.now()
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    const received: Buffer[] = []
    let closedByServer = false
    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      clearTimeout(idle)
      socket.destroy()
      const text = Buffer.concat(received).toString('latin1')
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((match) => Number(match[1]))
      resolve({ text, statuses, closedByServer, ms: Date.now() - started })
    }
    const timer = setTimeout(finish, readMs)
    let idle: ReturnType<typeof setTimeout> | undefined
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk)
      if (idleMs === undefined) return
      clearTimeout(idle)
      idle = setTimeout(finish, idleMs)
    })
    socket.on('end', () => {
      closedByServer = true
      finish()
    })
    socket.on('close', () => {
      closedByServer = true
      finish()
    })
    socket.on('error', () => {
      closedByServer = true
      finish()
    })
    socket.once('connect', async () => {
      for (const piece of pieces) {
        if (finished || socket.destroyed) return
        if (typeof piece === 'object' && 'wait' in piece) await delay(piece.wait)
        else socket.write(piece)
      }
    })
  })
}
