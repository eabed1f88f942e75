// Faults for real-time sockets. A browser's WebSocket cannot send the x-speech-fault header, so a test arms them
// server-side (`POST /_faults/realtime`, only with `faults: true`) and they apply to the next socket(s):
//
//   {"drop_after_frames": N}                    after the Nth audio frame, drop the TCP connection (no close frame)
//   {"error_event": {...}}                      send the provider's error event, these fields over its defaults
//   {"close": {"code": 4000, "reason": "…"}}    close the socket with that code
//   {"after_frames": N}                         when error_event and close happen: after the Nth audio frame
//                                               (default 0: right after session.created / session_started)
//   {"delay_final_ms": N}                       hold every final transcript N ms
//   {"sockets": K}                              apply to the next K sockets (default 1)
//   {"provider": "openai" | "elevenlabs"}       only sockets of that protocol (default either)
//
// Several effects in one body combine (error_event with close is a fatal provider error). Each POST arms one more
// entry; a socket takes the oldest entry that matches it. `DELETE /_faults/realtime` disarms them all.

export type RealtimeProtocol = 'openai' | 'elevenlabs'

export interface RealtimeFault {
  dropAfterFrames?: number
  errorEvent?: Record<string, unknown>
  close?: { code: number; reason: string }
  afterFrames: number
  delayFinalMs?: number
}

interface Armed {
  fault: RealtimeFault
  sockets: number
  provider?: RealtimeProtocol
}

const KEYS = ['drop_after_frames', 'error_event', 'close', 'after_frames', 'delay_final_ms', 'sockets', 'provider']

/** Close codes a server may send (RFC 6455 §7.4; 1004–1006 and 1015 are reserved). */
export function sendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    (code === 1000 || (code >= 1001 && code <= 1014 && (code < 1004 || code > 1006)) || (code >= 3000 && code <= 4999))
  )
}

export class RealtimeFaults {
  private armed: Armed[] = []

  /** Parses and arms one body; the error says what is wrong with it. */
  arm(body: unknown): { ok: true; armed: number } | { ok: false; error: string } {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { ok: false, error: 'the body must be a JSON object' }
    const input = body as Record<string, unknown>
    const unknown = Object.keys(input).filter((key) => !KEYS.includes(key))
    if (unknown.length > 0) return { ok: false, error: `unknown ${unknown.join(', ')} (known: ${KEYS.join(', ')})` }
    const count = (key: string, max: number) => {
      const value = input[key]
      if (value === undefined) return undefined
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max
        ? (value as number)
        : Number.NaN
    }
    const fault: RealtimeFault = { afterFrames: 0 }
    const drop = count('drop_after_frames', 1_000_000)
    if (Number.isNaN(drop)) return { ok: false, error: 'drop_after_frames must be a whole number of frames' }
    if (drop !== undefined) fault.dropAfterFrames = drop
    const after = count('after_frames', 1_000_000)
    if (Number.isNaN(after)) return { ok: false, error: 'after_frames must be a whole number of frames' }
    if (after !== undefined) fault.afterFrames = after
    const delay = count('delay_final_ms', 600_000)
    if (Number.isNaN(delay)) return { ok: false, error: 'delay_final_ms must be 0–600000' }
    if (delay !== undefined) fault.delayFinalMs = delay
    if (input.error_event !== undefined) {
      if (typeof input.error_event !== 'object' || input.error_event === null || Array.isArray(input.error_event))
        return { ok: false, error: 'error_event must be an object (fields of the provider’s error event)' }
      fault.errorEvent = input.error_event as Record<string, unknown>
    }
    if (input.close !== undefined) {
      const close = input.close as { code?: unknown; reason?: unknown } | null
      const code = close?.code ?? 1000
      const reason = close?.reason ?? ''
      if (typeof code !== 'number' || !sendableCloseCode(code))
        return { ok: false, error: 'close.code must be 1000–1003, 1007–1014 or 3000–4999' }
      if (typeof reason !== 'string' || Buffer.byteLength(reason) > 123)
        return { ok: false, error: 'close.reason must be a string of at most 123 bytes' }
      fault.close = { code, reason }
    }
    if (fault.dropAfterFrames === undefined && !fault.errorEvent && !fault.close && fault.delayFinalMs === undefined)
      return { ok: false, error: 'nothing to do: give drop_after_frames, error_event, close or delay_final_ms' }
    const sockets = count('sockets', 1000)
    if (Number.isNaN(sockets) || sockets === 0) return { ok: false, error: 'sockets must be 1–1000' }
    const provider = input.provider
    if (provider !== undefined && provider !== 'openai' && provider !== 'elevenlabs')
      return { ok: false, error: "provider must be 'openai' or 'elevenlabs'" }
    this.armed.push({ fault, sockets: sockets ?? 1, ...(provider !== undefined && { provider }) })
    return { ok: true, armed: this.armed.length }
  }

  /** The fault for a new socket of this protocol, if one is armed (using up one of its sockets). */
  take(protocol: RealtimeProtocol): RealtimeFault | undefined {
    const index = this.armed.findIndex((a) => a.provider === undefined || a.provider === protocol)
    if (index < 0) return undefined
    const armed = this.armed[index]!
    if (--armed.sockets === 0) this.armed.splice(index, 1)
    return armed.fault
  }

  clear(): void {
    this.armed = []
  }
}

export function describeRealtimeFault(fault: RealtimeFault): string {
  const parts: string[] = []
  if (fault.dropAfterFrames !== undefined) parts.push(`drop_after_frames=${fault.dropAfterFrames}`)
  if (fault.errorEvent) parts.push(`error_event=${JSON.stringify(fault.errorEvent)}`)
  if (fault.close) parts.push(`close=${fault.close.code}`)
  if ((fault.errorEvent || fault.close) && fault.afterFrames > 0) parts.push(`after_frames=${fault.afterFrames}`)
  if (fault.delayFinalMs !== undefined) parts.push(`delay_final_ms=${fault.delayFinalMs}`)
  return parts.join(';')
}
