/**
 * What the server side needs to know about a provider, and nothing that touches
 * the DOM or pulls in an encoder: the proxy imports these, the transports reuse them.
 */
export type ProviderId = 'dify' | 'livepeer' | 'fish' | 'openai'

export interface ProviderEndpoint {
  /** Path below the provider's base URL, e.g. `/audio-to-text`. */
  readonly path: string
  readonly operation: 'transcribe' | 'speak'
  /** Largest request body the provider accepts on this endpoint. */
  readonly maxBytes: number
}

export interface ProviderDescriptor {
  readonly id: ProviderId
  /** The provider's public API root; the proxy appends an endpoint path to it. */
  readonly defaultBaseUrl: string
  readonly endpoints: readonly ProviderEndpoint[]
  /**
   * A body in the provider's own error shape, so that a client decoding that
   * provider's errors also understands failures produced by the proxy itself.
   */
  errorBody(status: number, message: string, code: string): unknown
}

export const MiB = 1024 * 1024

/**
 * The proxy marks the failures it produces itself (timeout, unreachable upstream,
 * provider not configured, upload cut off) with this header, holding a VoiceError
 * code. A transport prefers it over guessing from the provider-shaped body.
 */
export const VOICE_ERROR_HEADER = 'x-voicekit-error'
