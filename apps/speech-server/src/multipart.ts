// multipart/form-data, parsed from a (possibly truncated) buffer. A truncated body still yields the parts and the
// headers that arrived, so a route can check a file's type before it reports its size, as Dify does.

export interface Part {
  name: string
  filename?: string
  /** The part's Content-Type header as sent, or undefined when the part had none. */
  contentType?: string
  data: Buffer
  /** False when the body ended inside this part's data. */
  complete: boolean
}

export interface Form {
  parts: Part[]
  /** The closing delimiter was seen. */
  complete: boolean
  field(name: string): string | undefined
  fields(name: string): string[]
  file(name: string): Part | undefined
}

const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')

export function parseMultipart(body: Buffer, boundary: string): Form {
  const parts: Part[] = []
  const delimiter = Buffer.from(`--${boundary}`)
  const between = Buffer.from(`\r\n--${boundary}`)
  let complete = false

  let pos = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : body.indexOf(between)
  if (pos >= 0 && body[pos] === 0x0d) pos += 2
  while (pos >= 0) {
    pos += delimiter.length
    if (body.length < pos + 2) break
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) {
      complete = true
      break
    }
    const lineEnd = body.indexOf(CRLF, pos)
    if (lineEnd < 0) break
    const headerEnd = body.indexOf(HEADER_END, lineEnd)
    if (headerEnd < 0) break
    const headers = parseHeaders(headerEnd === lineEnd ? '' : body.subarray(lineEnd + 2, headerEnd).toString('utf8'))
    const dataStart = headerEnd + 4
    const dataEnd = body.indexOf(between, dataStart)
    const disposition = parseParams(headers.get('content-disposition') ?? '')
    const part: Part = {
      name: disposition.get('name') ?? '',
      data: body.subarray(dataStart, dataEnd < 0 ? body.length : dataEnd),
      complete: dataEnd >= 0,
    }
    const filename = disposition.get('filename')
    if (filename !== undefined) part.filename = filename
    const contentType = headers.get('content-type')
    if (contentType !== undefined) part.contentType = contentType
    parts.push(part)
    if (dataEnd < 0) break
    pos = dataEnd + 2
  }

  return {
    parts,
    complete,
    field: (name) => {
      const part = parts.find((p) => p.name === name && p.filename === undefined)
      return part?.data.toString('utf8')
    },
    fields: (name) => parts.filter((p) => p.name === name && p.filename === undefined).map((p) => p.data.toString()),
    file: (name) => parts.find((p) => p.name === name),
  }
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>()
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return headers
}

/** `form-data; name="a;b"; filename="x.wav"` → name, filename (quoted strings may hold `;` and `\"`). */
function parseParams(header: string): Map<string, string> {
  const params = new Map<string, string>()
  let i = header.indexOf(';')
  while (i >= 0 && i < header.length) {
    i++
    while (header[i] === ' ' || header[i] === '\t') i++
    const eq = header.indexOf('=', i)
    if (eq < 0) break
    const key = header.slice(i, eq).trim().toLowerCase()
    i = eq + 1
    let value = ''
    if (header[i] === '"') {
      i++
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i++
        value += header[i]
        i++
      }
      i = header.indexOf(';', i)
    } else {
      const end = header.indexOf(';', i)
      value = header.slice(i, end < 0 ? undefined : end).trim()
      i = end
    }
    params.set(key, value)
  }
  return params
}
