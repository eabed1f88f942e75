// Finished speech, kept per (provider, voice, text) and shared by every speech session, so that
// replaying a sentence sends no request.
// Bounded: the least recently used entries go first beyond MAX_ENTRIES or MAX_BYTES.

const MAX_ENTRIES = 64
const MAX_BYTES = 16 * 1024 * 1024

interface Entry {
  mimeType: string
  parts: Uint8Array[]
  size: number
}

const entries = new Map<string, Entry>()
let total = 0

export function cached(key: string): Entry | undefined {
  const entry = entries.get(key)
  if (entry) {
    entries.delete(key)
    entries.set(key, entry)
  }
  return entry
}

export function remember(key: string, mimeType: string, parts: Uint8Array[]): void {
  forget(key)
  const size = parts.reduce((n, part) => n + part.length, 0)
  entries.set(key, { mimeType, parts, size })
  total += size
  for (const [oldest] of entries) {
    if (entries.size <= MAX_ENTRIES && total <= MAX_BYTES) break
    forget(oldest)
  }
}

function forget(key: string) {
  total -= entries.get(key)?.size ?? 0
  entries.delete(key)
}

/** Empties the speech cache (e.g. when the user signs out). */
export function clearSpeechCache(): void {
  entries.clear()
  total = 0
}
