// A multipart/form-data request body, read with a cap (see body.ts) and parsed (see multipart.ts).
import type { IncomingMessage } from 'node:http'
import { drainBody, headerParam, mediaType, readBody } from './body.ts'
import { type Form, parseMultipart } from './multipart.ts'

export type FormRead =
  | { kind: 'form'; form: Form; received: number; overflow: boolean }
  | { kind: 'not-multipart'; mediaType: string }

/** Past `limit` bytes the body is counted and discarded; the parts that arrived before the limit are still parsed. */
export async function readForm(req: IncomingMessage, limit: number): Promise<FormRead> {
  const type = req.headers['content-type']
  const boundary = headerParam(type, 'boundary')
  if (mediaType(type) !== 'multipart/form-data' || !boundary) {
    await drainBody(req)
    return { kind: 'not-multipart', mediaType: mediaType(type) }
  }
  const body = await readBody(req, limit)
  return { kind: 'form', form: parseMultipart(body.bytes, boundary), received: body.received, overflow: body.overflow }
}

/** Room for the multipart envelope and the small fields around a file of at most `fileLimit` bytes. */
export function formLimit(fileLimit: number): number {
  return fileLimit + 1024 * 1024
}
