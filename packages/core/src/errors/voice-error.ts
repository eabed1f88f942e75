import type { VoiceErrorCode } from './codes'

export interface VoiceErrorOptions {
  /** HTTP status of the response that carried the error, if any. */
  status?: number
  /** Provider id (`dify`, `livepeer`, `fish`, `openai`, or a custom transport's). */
  provider?: string
  /** The provider's own error code, kept verbatim (e.g. Dify `provider_quota_exceeded`). */
  providerCode?: string
  /** Overrides the default rule (see `VoiceError.retryable`). */
  retryable?: boolean
  cause?: unknown
}

/** Codes for which a 5xx or 429 answer is worth retrying; any other code is not, whatever the status. */
const TRANSIENT: readonly VoiceErrorCode[] = ['provider_unavailable', 'provider_error', 'quota_exceeded']

/**
 * The only error a voicekit transport, recorder or player throws. `message` is the
 * provider's own message where there is one.
 */
export class VoiceError extends Error {
  // `declare`: set once in the constructor, not also as class fields (smaller, the same objects).
  declare readonly name: 'VoiceError'
  declare readonly code: VoiceErrorCode
  declare readonly status?: number
  declare readonly provider?: string
  declare readonly providerCode?: string
  /**
   * True only where trying again can help: network failures, timeouts, and 5xx/429
   * answers whose code is transient (`provider_unavailable`, `provider_error`, `quota_exceeded`).
   */
  declare readonly retryable: boolean

  constructor(code: VoiceErrorCode, message?: string, options: VoiceErrorOptions = {}) {
    super(message || code.replace(/_/g, ' '), options.cause === undefined ? undefined : { cause: options.cause })
    const { status } = options
    ;(this as { name: string }).name = 'VoiceError'
    this.code = code
    this.status = status
    this.provider = options.provider
    this.providerCode = options.providerCode
    this.retryable =
      options.retryable ??
      (code === 'network' ||
        code === 'timeout' ||
        (status !== undefined && (status >= 500 || status === 429) && TRANSIENT.includes(code)))
  }
}

/** True for a VoiceError, also one created by another copy of this package. */
export function isVoiceError(value: unknown): value is VoiceError {
  return (
    value instanceof VoiceError ||
    (value instanceof Error && value.name === 'VoiceError' && typeof (value as { code?: unknown }).code === 'string')
  )
}
