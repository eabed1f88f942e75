// Small total helpers for decoding untrusted JSON: nothing here throws.
import type { VoiceErrorCode } from '../errors'

export type Json = Record<string, unknown>

export const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A non-empty trimmed string, or undefined. */
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined

export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/** Own-property lookup, so that `__proto__` or `toString` from a body maps to nothing. */
export const lookup = <T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined

/** What a provider's error decoder can tell from an error response. Every field is optional. */
export interface ErrorInfo {
  code?: VoiceErrorCode
  providerCode?: string
  message?: string
  retryable?: boolean
}

/** Decodes an error body: `body` is the parsed JSON (undefined if it was not JSON), `text` the raw body. */
export type ErrorDecoder = (status: number, body: unknown, text: string) => ErrorInfo | undefined

/** FastAPI/pydantic validation errors (`[{loc, msg, type}]`), as Livepeer (`detail`) and Fish (bare) send them. */
export function validationErrors(list: unknown): ErrorInfo | undefined {
  if (!Array.isArray(list)) return undefined
  const items = list.filter(isRecord)
  const message = items
    .map((item) => {
      const loc = Array.isArray(item.loc) ? item.loc.filter((part) => typeof part !== 'object').join('.') : ''
      const msg = str(item.msg) ?? ''
      return loc && msg ? `${loc}: ${msg}` : loc || msg
    })
    .filter(Boolean)
    .join('; ')
  return { code: 'invalid_request', providerCode: str(items[0]?.type), message: message || undefined }
}
