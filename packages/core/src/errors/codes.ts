/**
 * The one error vocabulary of voicekit: every provider error and every browser
 * failure becomes one of these codes.
 */
export const VOICE_ERROR_CODES = [
  // capture
  'permission_denied',
  'no_microphone',
  'microphone_busy',
  'not_supported',
  // input
  'no_audio',
  'recording_too_short',
  'audio_too_large',
  'unsupported_audio_type',
  // provider
  'unauthorized',
  'payment_required',
  'quota_exceeded',
  'provider_misconfigured',
  'provider_unavailable',
  'invalid_request',
  'provider_error',
  // transport
  'network',
  'timeout',
  'aborted',
  'bad_response',
  // playback
  'playback_blocked',
  'playback_failed',
  'unsupported_playback',
] as const

export type VoiceErrorCode = (typeof VOICE_ERROR_CODES)[number]

export function isVoiceErrorCode(value: unknown): value is VoiceErrorCode {
  return typeof value === 'string' && (VOICE_ERROR_CODES as readonly string[]).includes(value)
}
