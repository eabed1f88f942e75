// The proxies under test, as plain data: the same configuration is built into a Node server and into a
// workerd worker (where it arrives as a JSON binding). Each variant lives under its own basePath.
import { type ProviderId, providerDescriptors } from '@voicekit/core'
import { createVoiceProxy } from '../handler'
import type { ProviderConfig, VoiceProxyHandler, VoiceProxyOptions } from '../options'
import { customDescriptor } from './custom-descriptor'

/** Every descriptor the proxies under test serve: the built-in ones and one of the app's own. */
export const descriptors = [...Object.values(providerDescriptors), customDescriptor]

export interface Variant {
  basePath: string
  providers: Partial<Record<ProviderId, ProviderConfig>>
  maxUploadBytes?: number
  timeoutMs?: number
  allowedOrigins?: string[] | '*'
  /** Resolve Dify's user from a `session=<name>` cookie, as an app would from its session. */
  userFromSession?: boolean
}

export interface HostConfig {
  variants: Variant[]
}

export const KEYS: Record<string, string> = Object.fromEntries(
  descriptors.map((descriptor) => [descriptor.id, `sk-${descriptor.id}-test`]),
)
export const ALLOWED_ORIGIN = 'https://app.example'
export const CAP = 256 * 1024
export const SHORT_TIMEOUT_MS = 400

const allProviders = (upstream: string): Variant['providers'] =>
  Object.fromEntries(descriptors.map(({ id }) => [id, { apiKey: KEYS[id], baseUrl: `${upstream}/${id}` }]))

export function hostConfig(upstream: string, downPort: number): HostConfig {
  return {
    variants: [
      { basePath: '/api/voice', providers: allProviders(upstream), allowedOrigins: [ALLOWED_ORIGIN] },
      { basePath: '/capped', providers: allProviders(upstream), maxUploadBytes: CAP },
      { basePath: '/slow', providers: allProviders(upstream), timeoutMs: SHORT_TIMEOUT_MS },
      { basePath: '/user', providers: allProviders(upstream), userFromSession: true },
      { basePath: '/down', providers: { dify: { apiKey: KEYS.dify, baseUrl: `http://127.0.0.1:${downPort}/v1` } } },
      // Keys left unset, as when `apiKey: process.env.DIFY_API_KEY` finds nothing.
      { basePath: '/none', providers: { dify: { apiKey: undefined }, livepeer: {} } },
      { basePath: '/same-host', providers: allProviders(upstream) },
    ],
  }
}

function sessionUser(request: Request): string | undefined {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')
  if (!match?.[1]) throw new Error('no session')
  return `user-${match[1]}`
}

export function optionsFor(variant: Variant): VoiceProxyOptions {
  const { userFromSession, providers, ...rest } = variant
  // The app's own provider is configured beside its descriptor; the built-in ones by id.
  const { [customDescriptor.id]: acme, ...builtIn } = providers
  const options: VoiceProxyOptions = {
    ...rest,
    providers: builtIn,
    custom: [{ descriptor: customDescriptor, ...acme }],
  }
  return userFromSession ? { ...options, user: sessionUser } : options
}

export function handlersFor(config: HostConfig): VoiceProxyHandler[] {
  return config.variants.map((variant) => createVoiceProxy(optionsFor(variant)))
}
