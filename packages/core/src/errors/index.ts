export type { VoiceErrorCode } from './codes'
export { isVoiceErrorCode, VOICE_ERROR_CODES } from './codes'
export type { VoiceErrorOptions } from './voice-error'
export { isVoiceError, VoiceError } from './voice-error'
