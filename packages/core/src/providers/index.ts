export type { ProviderDescriptor, ProviderEndpoint, ProviderId } from './descriptor'
export { MiB, VOICE_ERROR_HEADER } from './descriptor'
export {
  difyDescriptor,
  fishDescriptor,
  livepeerDescriptor,
  openaiDescriptor,
  providerDescriptors,
} from './descriptors'
