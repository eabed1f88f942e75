// Writes a Reply to the socket, applying the output faults (stall, drop-after, rate) on the way.
import type { ServerResponse } from 'node:http'
import type { Faults } from './faults.ts'
import type { Reply } from './types.ts'

export interface RespondOptions {
  faults: Faults
  /** Called after each body chunk was handed to the kernel (`index` counts the reply's own chunks). */
  onChunkSent?: (index: number, bytes: number) => void
}

/** Resolves when the answer is complete, or the connection was dropped or closed by the client. */
export async function respond(res: ServerResponse, reply: Reply, { faults, onChunkSent }: RespondOptions) {
  const { chunks, contentType, contentLength } = bodyOf(reply)
  res.statusCode = reply.status
  res.setHeader('Content-Type', contentType)
  if (reply.kind === 'json' && reply.headers) for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v)
  if (contentLength !== undefined) res.setHeader('Content-Length', contentLength)
  else res.setHeader('Cache-Control', 'no-store')
  res.flushHeaders()

  const closed = new Promise<void>((resolve) => res.once('close', resolve))
  const isClosed = () => res.destroyed || res.closed
  const started = performance.now()
  let sent = 0
  let index = 0

  /** Waits until `bytes` more may leave under the rate limit. */
  const pace = async (bytes: number) => {
    if (!faults.rate) return
    const due = started + ((sent + bytes) / faults.rate) * 1000
    const wait = due - performance.now()
    if (wait > 0) await Promise.race([sleep(wait), closed])
  }
  const write = (bytes: Uint8Array) =>
    Promise.race([closed, new Promise<void>((resolve) => res.write(bytes, () => resolve()))])

  /** Writes one chunk; false when the body must stop here (dropped, or the client is gone). */
  const send = async (chunk: Uint8Array): Promise<boolean> => {
    let rest = chunk
    if (faults.dropAfter !== undefined) rest = rest.subarray(0, Math.max(0, faults.dropAfter - sent))
    const slice = faults.rate ? Math.max(1, Math.floor(faults.rate / 20)) : rest.length
    for (let at = 0; at < rest.length && !isClosed(); at += slice) {
      const piece = rest.subarray(at, at + slice)
      await pace(piece.length)
      if (isClosed()) return false
      await write(piece)
      sent += piece.length
    }
    if (isClosed()) return false
    onChunkSent?.(index++, rest.length)
    if (faults.dropAfter !== undefined && sent >= faults.dropAfter) return false
    return true
  }

  const iterator = chunks[Symbol.asyncIterator]()
  try {
    let first = true
    while (!isClosed()) {
      const next = await iterator.next()
      if (next.done) break
      const chunk =
        faults.stall && first && reply.kind !== 'stream' ? next.value.subarray(0, next.value.length >> 1) : next.value
      first = false
      if (!(await send(chunk))) break
      if (faults.stall) break
    }
  } catch (error) {
    // Failure after the headers: cut the body short, so the client sees an error rather than a short success.
    res.destroy(error instanceof Error ? error : new Error(String(error)))
    return
  } finally {
    await iterator.return?.()
  }

  if (isClosed()) return
  if (faults.dropAfter !== undefined) {
    res.socket?.destroy()
    res.destroy()
    return
  }
  if (faults.stall) {
    await closed
    return
  }
  await new Promise<void>((resolve) => res.end(resolve))
}

function bodyOf(reply: Reply): { chunks: AsyncIterable<Uint8Array>; contentType: string; contentLength?: number } {
  if (reply.kind === 'stream') return { chunks: reply.chunks, contentType: reply.contentType }
  const bytes =
    reply.kind === 'json'
      ? Buffer.from(JSON.stringify(reply.body) ?? 'null')
      : typeof reply.body === 'string'
        ? Buffer.from(reply.body, 'utf8')
        : reply.body
  const contentType = reply.kind === 'json' ? 'application/json' : reply.contentType
  return { chunks: once(bytes), contentType, contentLength: bytes.length }
}

async function* once(bytes: Uint8Array) {
  yield bytes
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
