// The `x-speech-fault` request header (obeyed only when the server was started with `faults: true` / `--faults`).
//
// Grammar: items separated by `;` or `,`, each one of
//   status=NNN       answer NNN (400–599) in the route's provider shape, without running the route
//   delay=MS         wait MS milliseconds before answering
//   stall            send the headers and the first part of the body, then nothing more (until the client goes away)
//   drop-after=N     destroy the connection after N body bytes (never ends normally)
//   rate=BPS         send the body at no more than BPS bytes per second
//   garbage          answer 200 with the route's normal content type and a body nothing can decode
//   empty            answer 200 with the route's normal content type and no body at all
//   null             answer 200 with the JSON body `null`
// e.g. `x-speech-fault: delay=200; rate=4000` or `x-speech-fault: drop-after=1000`.

import { json, type Reply } from './types.ts'

export interface Faults {
  status?: number
  delay?: number
  stall?: boolean
  dropAfter?: number
  rate?: number
  garbage?: boolean
  empty?: boolean
  null?: boolean
}

export const FAULT_HEADER = 'x-speech-fault'

export type ParsedFaults = { ok: true; faults: Faults } | { ok: false; error: string }

export function parseFaults(header: string | string[] | undefined): ParsedFaults {
  const faults: Faults = {}
  const text = Array.isArray(header) ? header.join(';') : (header ?? '')
  for (const raw of text.split(/[;,]/)) {
    const item = raw.trim()
    if (!item) continue
    const eq = item.indexOf('=')
    const key = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase()
    const value = eq < 0 ? undefined : item.slice(eq + 1).trim()
    const integer = (min: number, max: number) => {
      const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN
      return n >= min && n <= max ? n : undefined
    }
    switch (key) {
      case 'stall':
      case 'garbage':
      case 'empty':
      case 'null':
        if (value !== undefined) return { ok: false, error: `'${key}' takes no value` }
        faults[key] = true
        break
      case 'status': {
        const n = integer(400, 599)
        if (n === undefined) return { ok: false, error: `status must be 400–599, not '${value ?? ''}'` }
        faults.status = n
        break
      }
      case 'delay': {
        const n = integer(0, 600_000)
        if (n === undefined) return { ok: false, error: `delay must be 0–600000 ms, not '${value ?? ''}'` }
        faults.delay = n
        break
      }
      case 'drop-after': {
        const n = integer(0, Number.MAX_SAFE_INTEGER)
        if (n === undefined) return { ok: false, error: `drop-after must be a byte count, not '${value ?? ''}'` }
        faults.dropAfter = n
        break
      }
      case 'rate': {
        const n = integer(1, Number.MAX_SAFE_INTEGER)
        if (n === undefined) return { ok: false, error: `rate must be bytes per second ≥ 1, not '${value ?? ''}'` }
        faults.rate = n
        break
      }
      default:
        return {
          ok: false,
          error: `unknown fault '${key}' (known: status, delay, stall, drop-after, rate, garbage, empty, null)`,
        }
    }
  }
  return { ok: true, faults }
}

/** The 200 answer of the body faults (garbage, empty, null), for a route whose success type is `successType`. */
export function bodyFaultReply(faults: Faults, successType: string): Reply | undefined {
  if (faults.garbage) return { kind: 'text', status: 200, contentType: successType, body: garbageBody() }
  if (faults.empty) return { kind: 'text', status: 200, contentType: successType, body: '' }
  if (faults.null) return json(200, null)
  return undefined
}

/** A body that decodes as nothing: no JSON (starts with NUL), no MP3 frame sync (no 0xFF byte), no ID3/RIFF tag. */
export function garbageBody(length = 4096): Buffer {
  const out = Buffer.alloc(length)
  let seed = 0x2545f491
  for (let i = 1; i < length; i++) {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    out[i] = (seed >>> 0) % 255
  }
  return out
}

export function describeFaults(faults: Faults): string {
  return Object.entries(faults)
    .map(([k, v]) => (v === true ? k : `${k}=${v}`))
    .join(';')
}
