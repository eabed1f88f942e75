// `@voicekit/core/server`: what a server (the proxy, a custom route) needs from core, and nothing
// that touches the DOM or pulls in capture, playback or transport code.
export type { VoiceErrorCode } from './errors/codes'
export { isVoiceErrorCode, VOICE_ERROR_CODES } from './errors/codes'
export type { VoiceErrorOptions } from './errors/voice-error'
export { isVoiceError, VoiceError } from './errors/voice-error'
export type {
  NotConfiguredAnswer,
  ProviderAuth,
  ProviderDescriptor,
  ProviderEndpoint,
  ProviderId,
  ProviderSocketEndpoint,
  ProviderTokenEndpoint,
} from './providers/descriptor'
export { VOICE_ERROR_HEADER } from './providers/descriptor'
export type { BuiltInProviderId } from './providers/descriptors'
export {
  difyDescriptor,
  fishDescriptor,
  livepeerDescriptor,
  openaiDescriptor,
  providerDescriptors,
} from './providers/descriptors'
export { elevenlabsDescriptor } from './providers/elevenlabs/descriptor'
