// The provider's key header (`Authorization: Bearer <key>` by default, or e.g. `xi-api-key: <key>`), compared in
// constant time.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { AuthFailure, KeyHeader } from './types.ts'

/** The key printed at start when SPEECH_SERVER_KEY is not set. Local use only. */
export const DEFAULT_API_KEY = 'speech-server-local-key'

export const BEARER: KeyHeader = { header: 'authorization', scheme: 'Bearer' }

export function checkKey(
  value: string | string[] | undefined,
  apiKey: string,
  auth: KeyHeader = BEARER,
): AuthFailure | undefined {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '')
  const pattern = auth.scheme ? new RegExp(`^\\s*${auth.scheme}\\s+(\\S+)\\s*$`, 'i') : /^\s*(\S+)\s*$/
  const match = pattern.exec(text)
  if (!match) return 'missing'
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(match[1]!), digest(apiKey)) ? undefined : 'invalid'
}

export function checkBearer(header: string | undefined, apiKey: string): AuthFailure | undefined {
  return checkKey(header, apiKey, BEARER)
}
