// Test clients: fetch for ordinary requests, raw node:http for paths and headers fetch would rewrite.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

/** Sends the path byte for byte (no client-side URL normalisation) with exactly these headers. */
export function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: Uint8Array | string } = {},
): Promise<RawResponse> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'POST',
        headers: options.headers,
        // A fresh connection each time: a server may close one whose body it never read.
        agent: false,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error(`raw request to ${path} timed out`)))
    req.end(options.body)
  })
}

/** Deterministic pseudo-random bytes (incompressible, so nothing along the way can shrink them). */
export function bytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

export const concatBytes = (...parts: (Uint8Array | string)[]): Uint8Array<ArrayBuffer> =>
  new Uint8Array(Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))))

export interface Field {
  name: string
  value: Uint8Array | string
  filename?: string
  type?: string
}

/** A multipart/form-data body built by hand, so that the test knows every byte. */
export function multipart(
  fields: Field[],
  boundary = 'voicekit-test-boundary-7MA4YWxk',
): {
  body: Uint8Array<ArrayBuffer>
  contentType: string
} {
  const parts: (Uint8Array | string)[] = []
  for (const field of fields) {
    const filename = field.filename === undefined ? '' : `; filename="${field.filename}"`
    const type = field.type === undefined ? '' : `\r\nContent-Type: ${field.type}`
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${field.name}"${filename}${type}\r\n\r\n`)
    parts.push(field.value, '\r\n')
  }
  parts.push(`--${boundary}--\r\n`)
  return { body: concatBytes(...parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** A stream of `count` chunks of `size` bytes, for uploads without a Content-Length. */
export function chunkedBody(count: number, size: number): { stream: ReadableStream<Uint8Array>; sent: () => number } {
  let sent = 0
  let index = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index === count) {
        controller.close()
        return
      }
      const chunk = bytes(size, ++index)
      sent += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { stream, sent: () => sent }
}

/** Resolves with the promise's value, or rejects after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
