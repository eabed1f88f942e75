// Test support (not exported): in-page MP3 streams with the timing and failures of a network.
import { concat, createMp3Splitter } from './mp3-frames'

export async function fetchBytes(url: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url}: ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

/** An MP3 file's audio frames only (no ID3 tag, no Info frame): repeatable back to back. */
export function audioFrames(mp3: Uint8Array): Uint8Array<ArrayBuffer> {
  const splitter = createMp3Splitter()
  return concat([...splitter.push(mp3), ...splitter.end().frames])
}

export interface FeedOptions {
  /** Bytes per second; Infinity (default) sends as fast as the reader pulls. */
  rate?: number
  /** Bytes per chunk (chunks ignore frame boundaries). */
  chunk?: number
  /** Stop after this many bytes: `error` breaks the stream (a dropped connection), `close` ends it cleanly. */
  stopAfter?: number
  stopWith?: 'error' | 'close'
}

export interface Feed {
  stream: ReadableStream<Uint8Array>
  /** Bytes enqueued so far. */
  readonly sent: number
  /** True once the last byte was enqueued (or the stream stopped). */
  readonly finished: boolean
  /** True when the reader cancelled the stream. */
  readonly cancelled: boolean
}

/** Streams `source` (bytes, or a function giving bytes for positions, for very long synthetic streams). */
export function feed(
  source: Uint8Array | { length: number; at(from: number, to: number): Uint8Array },
  options: FeedOptions = {},
): Feed {
  const { rate = Number.POSITIVE_INFINITY, chunk = 997, stopAfter, stopWith = 'error' } = options
  const total = source.length
  const slice = (from: number, to: number) =>
    source instanceof Uint8Array ? source.slice(from, to) : source.at(from, to)
  const end = Math.min(total, stopAfter ?? total)
  const state = { sent: 0, finished: false, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (state.sent >= end) {
          state.finished = true
          if (end < total && stopWith === 'error') controller.error(new TypeError('network error: connection dropped'))
          else controller.close()
          return
        }
        const size = Math.min(chunk, end - state.sent)
        if (Number.isFinite(rate)) await new Promise((resolve) => setTimeout(resolve, (size / rate) * 1000))
        if (state.cancelled) return
        controller.enqueue(slice(state.sent, state.sent + size))
        state.sent += size
      },
      cancel() {
        state.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return {
    stream,
    get sent() {
      return state.sent
    },
    get finished() {
      return state.finished
    },
    get cancelled() {
      return state.cancelled
    },
  }
}

/** `copies` of `bytes` back to back, produced on demand (a long stream never held whole). */
export function repeated(bytes: Uint8Array, copies: number) {
  return {
    length: copies * bytes.length,
    at(from: number, to: number) {
      const out = new Uint8Array(to - from)
      for (let i = from; i < to; ) {
        const offset = i % bytes.length
        const n = Math.min(bytes.length - offset, to - i)
        out.set(bytes.subarray(offset, offset + n), i - from)
        i += n
      }
      return out
    },
  }
}

/** Resolves when `predicate` holds, polling every 50 ms; rejects after `timeout` ms with `what`. */
export async function until(predicate: () => boolean, what: string, timeout = 20_000): Promise<void> {
  const deadline = performance.now() + timeout
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
