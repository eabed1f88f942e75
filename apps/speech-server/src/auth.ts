// `Authorization: Bearer <key>`, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { AuthFailure } from './types.ts'

/** The key printed at start when SPEECH_SERVER_KEY is not set. Local use only. */
export const DEFAULT_API_KEY = 'speech-server-local-key'

export function checkBearer(header: string | undefined, apiKey: string): AuthFailure | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!match) return 'missing'
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(match[1]!), digest(apiKey)) ? undefined : 'invalid'
}
