import type { VoiceError } from '@voicekit/core'

/** Codes whose message is the provider's own words (worth showing under the component's message). */
const PROVIDER_CODES: readonly VoiceError['code'][] = [
  'unauthorized',
  'payment_required',
  'quota_exceeded',
  'provider_misconfigured',
  'provider_unavailable',
  'invalid_request',
  'provider_error',
  'unsupported_audio_type',
  'audio_too_large',
]

/**
 * The provider's hint, to show under a component's own error message, or null when the error carries
 * nothing more than its code. Never the raw code.
 */
export function providerDetail(error: VoiceError | null | undefined): string | null {
  if (!error || !PROVIDER_CODES.includes(error.code)) return null
  const message = error.message.trim().replace(/^speech-server: /, '')
  if (!message || message === error.code.replace(/_/g, ' ')) return null
  return `The provider's answer: ${message}`
}

/** The assistant reply's failure in words: a lost connection says what the person heard and what not. */
export function replyErrorText(error: VoiceError): string {
  if (error.code === 'network')
    return 'The connection was lost: the reply stopped after what you heard. Say the rest once you are back online.'
  if (error.code === 'timeout')
    return 'The speech service took too long to answer: the reply stopped after what you heard. Say the rest to try again.'
  return error.message
}
