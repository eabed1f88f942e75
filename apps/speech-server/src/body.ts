// Request bodies, read as streams with a cap: at most `limit` bytes are ever held in memory.
import type { IncomingMessage } from 'node:http'

export interface BodyRead {
  /** The first `limit` bytes at most (the whole body when `overflow` is false). */
  bytes: Buffer
  /** Bytes the client sent in all (counted, not kept, past the limit). */
  received: number
  /** The body was larger than the limit. */
  overflow: boolean
}

/**
 * Past the limit the rest of the body is read and thrown away (so the client, still uploading, gets to read our
 * answer instead of a reset connection), up to `discardLimit` bytes, after which the connection is dropped.
 */
const DISCARD_LIMIT = 1024 * 1024 * 1024

export function readBody(req: IncomingMessage, limit: number, discardLimit = DISCARD_LIMIT): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = []
    let keptBytes = 0
    let received = 0
    let overflow = false
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (!overflow) {
        const room = limit - keptBytes
        if (chunk.length <= room) {
          kept.push(chunk)
          keptBytes += chunk.length
          return
        }
        if (room > 0) kept.push(chunk.subarray(0, room))
        keptBytes = limit
        overflow = true
      }
      if (received > discardLimit) {
        cleanup()
        req.destroy()
        resolve({ bytes: Buffer.concat(kept), received, overflow })
      }
    }
    const onEnd = () => {
      cleanup()
      resolve({ bytes: Buffer.concat(kept), received, overflow })
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    const onClose = () => {
      if (!req.complete) onError(new Error('the client closed the request before its body was complete'))
    }
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
    }
    if (req.readableEnded) {
      resolve({ bytes: Buffer.alloc(0), received: 0, overflow: false })
      return
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
}

/** A body that is a JSON object, or undefined (not JSON, or JSON of another shape). */
export function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Reads and discards a body we will not look at (so the answer reaches a client that is still sending). */
export async function drainBody(req: IncomingMessage): Promise<void> {
  try {
    await readBody(req, 0)
  } catch {
    // the client went away: nothing to answer
  }
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase()
}

/** One parameter of a Content-Type header (`boundary`, `charset`), unquoted. */
export function headerParam(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const piece of header.split(';').slice(1)) {
    const eq = piece.indexOf('=')
    if (eq < 0) continue
    if (piece.slice(0, eq).trim().toLowerCase() !== name) continue
    let value = piece.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    return value
  }
  return undefined
}
