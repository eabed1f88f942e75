import type { ProviderDescriptor } from './descriptor'
import { difyDescriptor } from './dify/descriptor'
import { elevenlabsDescriptor } from './elevenlabs/descriptor'
import { fishDescriptor } from './fish/descriptor'
import { livepeerDescriptor } from './livepeer/descriptor'
import { openaiDescriptor } from './openai/descriptor'

export { difyDescriptor, fishDescriptor, livepeerDescriptor, openaiDescriptor }

export const providerDescriptors = {
  dify: difyDescriptor,
  livepeer: livepeerDescriptor,
  fish: fishDescriptor,
  openai: openaiDescriptor,
  elevenlabs: elevenlabsDescriptor,
} as const satisfies Readonly<Record<string, ProviderDescriptor>>

/** The ids of the built-in providers, as registered above. */
export type BuiltInProviderId = keyof typeof providerDescriptors
