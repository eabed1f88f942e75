// A `ws` client for the real-time routes: every message kept in order, waits by predicate (never by time), the
// handshake's refusal read as an HTTP answer; fixture audio as raw PCM at any rate (ffmpeg), streamed in frames.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import WebSocket from 'ws'
import { fixturesDir } from './helpers.ts'

// biome-ignore lint/suspicious/noExplicitAny: wire messages are checked field by field in the tests
export type Message = Record<string, any>

export interface Refusal {
  status: number
  body: unknown
}

export class RealtimeClient {
  readonly messages: Message[] = []
  /** The close code and reason the client saw (1006: the connection dropped without a close frame). */
  readonly closed: Promise<{ code: number; reason: string }>
  private waiters: (() => void)[] = []

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message)
      for (const wake of this.waiters.splice(0)) wake()
    })
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() })
        for (const wake of this.waiters.splice(0)) wake()
      })
    })
    ws.on('error', () => {})
  }

  static connect(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}) {
    return new Promise<RealtimeClient>((resolve, reject) => {
      const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} })
      const client = new RealtimeClient(ws)
      ws.once('open', () => resolve(client))
      ws.once('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString()
        })
        res.on('end', () =>
          reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body })),
        )
      })
      ws.once('error', reject)
    })
  }

  /** The handshake's HTTP answer when the server refuses the upgrade (rejects if it accepted). */
  static async refusal(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}) {
    try {
      const client = await RealtimeClient.connect(url, options)
      client.ws.close()
    } catch (error) {
      const { status, body } = error as { status?: number; body?: string }
      if (status === undefined) throw error
      return { status, body: JSON.parse(body ?? 'null') as unknown } satisfies Refusal
    }
    throw new Error('the upgrade was accepted')
  }

  send(message: object): void {
    this.ws.send(JSON.stringify(message))
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary })
  }

  /** The first message (from index `from`) that matches; waits for it (rejects if the socket closes first). */
  async next(match: (message: Message) => boolean, from = 0): Promise<Message> {
    for (;;) {
      const found = this.messages.slice(from).find(match)
      if (found) return found
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`closed before the awaited message (got ${this.types().join(', ')})`)
      await new Promise<void>((wake) => this.waiters.push(wake))
    }
  }

  /** Waits for a message of this `type` (OpenAI) or `message_type` (ElevenLabs). */
  nextOf(type: string, from = 0): Promise<Message> {
    return this.next((m) => m.type === type || m.message_type === type, from)
  }

  indexOf(message: Message): number {
    return this.messages.indexOf(message)
  }

  types(): string[] {
    return this.messages.map((m) => m.type ?? m.message_type)
  }

  close(code = 1000): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code)
    return this.closed
  }
}

/** A fixture as 16-bit mono PCM at `rate` (or μ-law bytes), decoded and resampled by ffmpeg. */
export function fixtureAudio(name: string, rate: number, format: 's16le' | 'mulaw' = 's16le'): Buffer {
  const args = ['-v', 'error', '-i', join(fixturesDir, name), '-f', format, '-ar', String(rate), '-ac', '1', 'pipe:1']
  const result = spawnSync('ffmpeg', args, { maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr.toString()}`)
  return result.stdout
}

export const silence = (rate: number, seconds: number, bytesPerSample = 2) =>
  Buffer.alloc(Math.round(rate * seconds) * bytesPerSample)

/**
 * Sends `audio` in frames of `frameMs`, each wrapped by `frame` (base64 in, message out). `realTime`: paced like a
 * microphone (each frame when its audio would have been recorded), otherwise all at once.
 */
export async function stream(
  client: RealtimeClient,
  audio: Buffer,
  options: { bytesPerSecond: number; frame: (base64: string) => object; frameMs?: number; realTime?: boolean },
): Promise<void> {
  const size = Math.round((options.bytesPerSecond * (options.frameMs ?? 100)) / 1000) & ~1
  const started = performance.now()
  for (let at = 0; at < audio.length; at += size) {
    client.send(options.frame(audio.subarray(at, at + size).toString('base64')))
    if (options.realTime) {
      const due = started + ((at + size) / options.bytesPerSecond) * 1000
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())))
    }
  }
}

/** The share of the expected words that the text has (each counted once): pocketsphinx gets most, not all. */
export function sharedWords(expected: string, text: string): number {
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z' ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean)
  const pool = words(text)
  const wanted = words(expected)
  let found = 0
  for (const word of wanted) {
    const at = pool.indexOf(word)
    if (at >= 0) {
      found++
      pool.splice(at, 1)
    }
  }
  return wanted.length === 0 ? 1 : found / wanted.length
}
