// Test helpers: a server on a free port, authenticated requests, fixtures, MP3 frame walking, word error rate.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pack } from 'msgpackr'
import {
  type SpeechServer,
  type SpeechServerEvent,
  type SpeechServerOptions,
  startSpeechServer,
} from '../src/server.ts'

export const fixturesDir = fileURLToPath(new URL('../../../fixtures/speech/', import.meta.url))

export function fixture(name: string): Uint8Array<ArrayBuffer> {
  const bytes = readFileSync(join(fixturesDir, name))
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
}

export interface TestServer extends SpeechServer {
  events: SpeechServerEvent[]
  /** fetch with the Bearer key (unless `auth` is given: `null` sends none). */
  post(path: string, init?: RequestInit & { auth?: string | null }): Promise<Response>
}

export async function startTestServer(options: SpeechServerOptions = {}): Promise<TestServer> {
  const events: SpeechServerEvent[] = []
  const server = await startSpeechServer({
    port: 0,
    apiKey: 'test-key',
    ...options,
    onEvent: (event) => {
      events.push(event)
      options.onEvent?.(event)
    },
  })
  return {
    ...server,
    events,
    post: (path, { auth, headers, ...init } = {}) => {
      const h = new Headers(headers)
      const key = auth === undefined ? server.apiKey : auth
      if (key !== null) h.set('Authorization', `Bearer ${key}`)
      return fetch(`${server.url}${path}`, { method: 'POST', ...init, headers: h })
    },
  }
}

/** A msgpack request body (msgpackr's Buffer, copied into a plain Uint8Array that fetch accepts as a body). */
export function msgpackBody(value: unknown): Uint8Array<ArrayBuffer> {
  return new Uint8Array(pack(value))
}

export function jsonBody(value: unknown): RequestInit {
  return { body: JSON.stringify(value), headers: { 'Content-Type': 'application/json' } }
}

export function formWith(
  fields: Record<string, string | string[] | { data: Uint8Array; type?: string; name?: string }>,
) {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(key, value)
    else if (Array.isArray(value)) for (const v of value) form.append(key, v)
    else
      form.append(
        key,
        new Blob([value.data as Uint8Array<ArrayBuffer>], { type: value.type ?? '' }),
        value.name ?? 'audio.wav',
      )
  }
  return form
}

/** Word error rate: word-level edit distance (substitutions + deletions + insertions) / reference length. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9' ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean)
  const ref = words(reference)
  const hyp = words(hypothesis)
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j)
  for (let i = 1; i <= ref.length; i++) {
    const current = [i]
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = previous[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1)
    }
    previous = current
  }
  return previous[hyp.length]! / ref.length
}

export interface Mp3Walk {
  frames: number
  /** Frames that carry a Xing/Info tag: one per complete MP3 file written by an encoder. */
  infoFrames: number
  sampleRate: number | undefined
  version: 'MPEG-1' | 'MPEG-2' | 'MPEG-2.5' | undefined
  /** Bytes before the first frame, or after the last complete one, or between frames: 0 for a clean stream. */
  strayBytes: number
}

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] }

/** Walks MPEG audio Layer III frames from the first byte to the last (written here, independent of the server). */
export function walkMp3(bytes: Uint8Array): Mp3Walk {
  const walk: Mp3Walk = { frames: 0, infoFrames: 0, sampleRate: undefined, version: undefined, strayBytes: 0 }
  let pos = 0
  while (pos + 4 <= bytes.length) {
    const b1 = bytes[pos + 1]!
    const b2 = bytes[pos + 2]!
    const b3 = bytes[pos + 3]!
    const versionBits = (b1 >> 3) & 3
    const layerBits = (b1 >> 1) & 3
    const bitrateIndex = b2 >> 4
    const rateIndex = (b2 >> 2) & 3
    if (bytes[pos] !== 0xff || (b1 & 0xe0) !== 0xe0 || versionBits === 1 || layerBits !== 1) {
      walk.strayBytes++
      pos++
      continue
    }
    const v1 = versionBits === 3
    const bitrate = (v1 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex]
    const sampleRate = RATES[versionBits]?.[rateIndex]
    if (!bitrate || !sampleRate) {
      walk.strayBytes++
      pos++
      continue
    }
    const size = Math.floor(((v1 ? 144 : 72) * bitrate * 1000) / sampleRate) + ((b2 >> 1) & 1)
    if (pos + size > bytes.length) {
      walk.strayBytes += bytes.length - pos
      break
    }
    const mono = b3 >> 6 === 3
    const sideInfo = v1 ? (mono ? 17 : 32) : mono ? 9 : 17
    const tag = String.fromCharCode(...bytes.subarray(pos + 4 + sideInfo, pos + 8 + sideInfo))
    if (tag === 'Xing' || tag === 'Info') walk.infoFrames++
    walk.frames++
    walk.sampleRate = sampleRate
    walk.version = v1 ? 'MPEG-1' : versionBits === 2 ? 'MPEG-2' : 'MPEG-2.5'
    pos += size
  }
  return walk
}

/** Decodes any audio with ffmpeg and returns its duration in seconds (undefined when ffmpeg cannot decode it). */
export function decodedDuration(bytes: Uint8Array, inputFormat?: string): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'speech-server-test-'))
  try {
    const input = join(dir, 'input')
    writeFileSync(input, bytes)
    const args = ['-v', 'error', ...(inputFormat ? ['-f', inputFormat] : []), '-i', input, '-f', 's16le', '-ac', '1']
    const result = spawnSync('ffmpeg', [...args, '-ar', '16000', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 })
    if (result.status !== 0 || result.stdout.length === 0) return undefined
    return result.stdout.length / 2 / 16000
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Reads a response body chunk by chunk, recording when each chunk arrived (`performance.now()`). */
export async function readTimed(response: Response) {
  const chunks: { bytes: Uint8Array; at: number }[] = []
  const reader = response.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push({ bytes: value, at: performance.now() })
  }
  return { chunks, bytes: concat(chunks.map((c) => c.bytes)) }
}

export const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts))

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs
  while (performance.now() < until) {
    if (condition()) return true
    await new Promise((r) => setTimeout(r, 20))
  }
  return condition()
}
