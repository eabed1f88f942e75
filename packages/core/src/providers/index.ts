export type {
  NotConfiguredAnswer,
  ProviderAuth,
  ProviderDescriptor,
  ProviderEndpoint,
  ProviderId,
} from './descriptor'
export { MiB, VOICE_ERROR_HEADER } from './descriptor'
export type { BuiltInProviderId } from './descriptors'
export {
  difyDescriptor,
  fishDescriptor,
  livepeerDescriptor,
  openaiDescriptor,
  providerDescriptors,
} from './descriptors'
// Transports of the main entry, each folder's public face. Fish is on `@voicekit/core/fish` (msgpackr).
export * from './dify'
export * from './elevenlabs'
export * from './livepeer'
export * from './openai'
export type {
  RealtimeOptionsById,
  SerializableRealtimeOptions,
  SerializableTransportOptions,
  TransportById,
  TransportOptionsById,
  TransportProviderId,
} from './registry'
export { createTransport } from './registry'
