// The end user, decided by the server (Dify's `user`): a streaming rewrite of a multipart/form-data body
// that drops every part the client gave that field's name and puts the server's own part first. Part bodies
// (the audio) pass through untouched and unbuffered: only a delimiter's length of bytes is held back
// between chunks, and a part's header block (at most 16 KiB) while it is read.

const CRLF = new Uint8Array([13, 10])
const HEADER_END = new Uint8Array([13, 10, 13, 10])
const MAX_HEADER_BYTES = 16 * 1024
const encoder = new TextEncoder()

/** A body that is not well-formed multipart, or whose field names are ambiguous: answered 400. */
export class MalformedMultipartError extends Error {
  override readonly name = 'MalformedMultipartError'
}

/** The boundary of a `multipart/form-data` Content-Type, or undefined. */
export function multipartBoundary(contentType: string | null): string | undefined {
  if (!contentType) return undefined
  const [type, ...params] = contentType.split(';')
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return undefined
  for (const param of params) {
    const match = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(param)
    if (match) return match[1] ?? match[2]
  }
  return undefined
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]
  if (first === undefined) return from
  for (let i = haystack.indexOf(first, from); i !== -1; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.length > haystack.length) return -1
    let j = 1
    while (j < needle.length && haystack[i + j] === needle[j]) j++
    if (j === needle.length) return i
  }
  return -1
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/**
 * The form field name of a part, from its header block. Anything a server could read differently from
 * us (folded headers, two Content-Disposition headers, two `name` parameters, RFC 2231 `name*`) is
 * refused rather than guessed.
 */
export function partName(headerBlock: string): string {
  let name: string | undefined
  let dispositions = 0
  for (const line of headerBlock.split('\r\n')) {
    if (/^[ \t]/.test(line)) throw new MalformedMultipartError('folded multipart headers are not accepted')
    const colon = line.indexOf(':')
    if (colon <= 0) throw new MalformedMultipartError('malformed multipart header line')
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue
    dispositions++
    const value = line.slice(colon + 1).trim()
    if (!/^form-data\s*(;|$)/i.test(value)) throw new MalformedMultipartError('a part is not form-data')
    const params = value.replace(/^form-data\s*/i, '')
    const pattern = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\\r\n]|\\.)*"|[^;"\s]*)\s*/gy
    let consumed = 0
    for (let match = pattern.exec(params); match; match = pattern.exec(params)) {
      consumed = pattern.lastIndex
      const key = (match[1] ?? '').toLowerCase()
      const raw = match[2] ?? ''
      if (key === 'name*') throw new MalformedMultipartError('extended (name*) field names are not accepted')
      if (key !== 'name') continue
      if (name !== undefined) throw new MalformedMultipartError('a part has two names')
      name = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw
    }
    if (consumed !== params.length) throw new MalformedMultipartError('malformed Content-Disposition parameters')
  }
  if (dispositions !== 1 || name === undefined) {
    throw new MalformedMultipartError('every part needs exactly one Content-Disposition with a name')
  }
  return name
}

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'end'

/** Pushes output chunks; they stay valid (the rewriter never writes into a chunk it has emitted). */
export type Emit = (chunk: Uint8Array) => void

/** The rewrite as plain steps, for a TransformStream (the Fetch path) or a Node Transform alike. */
export interface MultipartRewriter {
  /** Throws MalformedMultipartError. */
  write(chunk: Uint8Array, emit: Emit): void
  /** The body ended: throws MalformedMultipartError when it ended before its closing boundary. */
  end(emit: Emit): void
}

/**
 * Rewrites a multipart/form-data body so that its `field` part holds `value` (or is absent when `value`
 * is undefined), whatever the client sent. The output uses the same boundary.
 */
export function multipartRewriter(boundary: string, field: string, value: string | undefined): MultipartRewriter {
  if (value !== undefined && /[\r\n]/.test(value)) throw new TypeError('the end user must not contain CR or LF')
  if (/["\r\n\\]/.test(field)) throw new TypeError('the field name must be a plain name')
  const delimiter = encoder.encode(`\r\n--${boundary}`)
  const open = encoder.encode(`--${boundary}\r\n`)
  const userPart =
    value === undefined
      ? undefined
      : encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`)
  const decoder = new TextDecoder('utf-8', { fatal: false })
  // A virtual CRLF in front, so that a delimiter at the very start is found like any other.
  let buffer: Uint8Array = CRLF
  let state: State = 'preamble'
  let skipping = false
  let userWritten = false
  /** No byte of the current part body has been looked at yet. */
  let bodyStart = false
  const dashBoundary = encoder.encode(`--${boundary}`)

  /**
   * Werkzeug (Dify's framework) also ends a part at `--boundary` at the very start of a body, or right after a
   * bare CR or LF, where RFC 2046 (and this rewriter) only sees CRLF `--boundary`. A body holding such a line
   * would hide a part from us that Dify reads (a second `user`, say): it is refused, not guessed.
   */
  const refuseLooseDelimiter = (at: number) => {
    const limit = at === -1 ? buffer.length - dashBoundary.length : at + 1
    for (let i = indexOf(buffer, dashBoundary); i !== -1 && i <= limit; i = indexOf(buffer, dashBoundary, i + 1)) {
      if (i + dashBoundary.length > buffer.length || i === at + 2) continue
      const previous = i === 0 ? undefined : buffer[i - 1]
      if ((i === 0 && bodyStart) || previous === 13 || previous === 10) {
        throw new MalformedMultipartError('a part body holds its boundary after a bare line break')
      }
    }
    if (at !== -1 || buffer.length >= dashBoundary.length) bodyStart = false
  }

  const writeUser = (emit: Emit) => {
    if (userWritten) return
    userWritten = true
    if (userPart) emit(userPart)
  }

  const process = (emit: Emit) => {
    for (;;) {
      switch (state) {
        case 'preamble': {
          const at = indexOf(buffer, delimiter)
          if (at === -1) {
            buffer = buffer.slice(Math.max(0, buffer.length - delimiter.length + 1)) // the preamble is dropped
            return
          }
          buffer = buffer.subarray(at + delimiter.length)
          state = 'after-delimiter'
          break
        }
        case 'after-delimiter': {
          if (buffer.length < 2) return
          if (buffer[0] === 45 && buffer[1] === 45) {
            writeUser(emit)
            emit(encoder.encode(`--${boundary}--\r\n`))
            buffer = new Uint8Array(0)
            state = 'end'
            return
          }
          const eol = indexOf(buffer, CRLF)
          if (eol === -1) {
            if (buffer.length > 256) throw new MalformedMultipartError('malformed multipart delimiter line')
            return
          }
          for (let i = 0; i < eol; i++) {
            if (buffer[i] !== 32 && buffer[i] !== 9) throw new MalformedMultipartError('malformed multipart delimiter')
          }
          buffer = buffer.subarray(eol + 2)
          state = 'headers'
          break
        }
        case 'headers': {
          const end = indexOf(buffer, HEADER_END)
          if (end === -1) {
            if (buffer.length > MAX_HEADER_BYTES) throw new MalformedMultipartError('multipart part headers too long')
            if (buffer[0] === 13 && buffer[1] === 10) throw new MalformedMultipartError('a part has no headers')
            return
          }
          const headers = buffer.subarray(0, end)
          const name = partName(decoder.decode(headers))
          writeUser(emit)
          skipping = name === field
          if (!skipping) {
            emit(open)
            emit(headers.slice())
            emit(HEADER_END)
          }
          buffer = buffer.subarray(end + HEADER_END.length)
          state = 'body'
          bodyStart = true
          break
        }
        case 'body': {
          const at = indexOf(buffer, delimiter)
          refuseLooseDelimiter(at)
          if (at === -1) {
            const keep = delimiter.length - 1
            if (buffer.length > keep) {
              if (!skipping) emit(buffer.subarray(0, buffer.length - keep))
              buffer = buffer.slice(buffer.length - keep)
            }
            return
          }
          if (!skipping) {
            emit(buffer.subarray(0, at))
            emit(CRLF)
          }
          buffer = buffer.subarray(at + delimiter.length)
          state = 'after-delimiter'
          break
        }
        case 'end':
          buffer = new Uint8Array(0) // the epilogue is dropped
          return
      }
    }
  }

  return {
    write(chunk, emit) {
      buffer = concat(buffer, chunk)
      process(emit)
    },
    end(emit) {
      process(emit)
      if (state !== 'end') throw new MalformedMultipartError('the multipart body ended before its closing boundary')
    },
  }
}

/** `multipartRewriter` as a TransformStream; `onMalformed` hears why it errored. */
export function rewriteMultipartField(
  boundary: string,
  field: string,
  value: string | undefined,
  onMalformed?: (error: MalformedMultipartError) => void,
): TransformStream<Uint8Array, Uint8Array> {
  const rewriter = multipartRewriter(boundary, field, value)
  const reporting = (step: () => void) => {
    try {
      step()
    } catch (error) {
      if (error instanceof MalformedMultipartError) onMalformed?.(error)
      throw error
    }
  }
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      reporting(() => rewriter.write(chunk, (out) => controller.enqueue(out)))
    },
    flush(controller) {
      reporting(() => rewriter.end((out) => controller.enqueue(out)))
    },
  })
}

/** `rewriteMultipartField` for a field named `user` (the name the fuzz and regression suites use). */
export const rewriteMultipartUser = (
  boundary: string,
  user: string | undefined,
  onMalformed?: (error: MalformedMultipartError) => void,
) => rewriteMultipartField(boundary, 'user', user, onMalformed)
