export type { ProviderDescriptor, ProviderEndpoint, ProviderId } from './descriptor'
export { MiB, VOICE_ERROR_HEADER } from './descriptor'
export {
  difyDescriptor,
  fishDescriptor,
  livepeerDescriptor,
  openaiDescriptor,
  providerDescriptors,
} from './descriptors'
// Transports of the main entry. Fish is on `@voicekit/core/fish` (msgpackr).
export type { DifyTransportOptions } from './dify'
export {
  createDifySpeaker,
  createDifyTranscriber,
  createDifyTransport,
  decodeDifyError,
  difyErrorCodes,
  difyUploadFormats,
} from './dify'
export type { LivepeerTransportOptions } from './livepeer'
export {
  createLivepeerTransport,
  decodeLivepeerError,
  LIVEPEER_DEFAULT_MODEL,
  livepeerUploadFormats,
} from './livepeer'
export type { OpenAITransportOptions } from './openai'
export {
  createOpenAISpeaker,
  createOpenAITranscriber,
  createOpenAITransport,
  decodeOpenAIError,
  openaiUploadFormats,
} from './openai'
