// The providers a proxy serves: the built-in descriptors and the app's own, each checked once when the
// proxy is created, compiled (path templates, headers) and paired with the server's configuration.
import { type ProviderDescriptor, type ProviderEndpoint, providerDescriptors } from '@voicekit/core/server'
import { extraRequestHeaders } from './headers'
import type { ProviderConfig, VoiceProxyOptions } from './options'

/** Where and how the server reaches a configured provider. */
export interface Upstream {
  readonly baseUrl: string
  /** The header that carries the key, with the key (and its prefix) as value; absent without a key. */
  readonly auth: readonly [name: string, value: string] | undefined
  readonly maxUploadBytes: number | undefined
}

/** One segment of a compiled path template: a literal, or a parameter's name. */
type Segment = { readonly literal: string } | { readonly param: string }

export interface CompiledEndpoint {
  readonly endpoint: ProviderEndpoint
  readonly segments: readonly Segment[]
}

export interface Provider {
  readonly descriptor: ProviderDescriptor
  readonly endpoints: readonly CompiledEndpoint[]
  /** Request headers forwarded from the browser beyond the common ones (the descriptor's own). */
  readonly requestHeaders: readonly string[]
  /** Undefined when the server has neither key nor base URL for it: answered "not configured". */
  readonly upstream: Upstream | undefined
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/
const LITERAL = /^[A-Za-z0-9._~-]+$/
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]{0,63})\}$/
const TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/
const QUERY_NAME = /^[A-Za-z0-9_.-]{1,64}$/

/** What a path parameter may match: one plain segment, nothing that could be a path or an encoding. */
export const PARAM_VALUE = /^[A-Za-z0-9_-]{1,128}$/

function positive(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`createVoiceProxy: ${name} must be a positive number, got ${value}`)
  }
  return value
}

function compilePath(id: string, path: string): Segment[] {
  const invalid = () => new TypeError(`createVoiceProxy: provider ${id} has an invalid endpoint path: ${path}`)
  if (!path.startsWith('/')) throw invalid()
  const names = new Set<string>()
  return path
    .slice(1)
    .split('/')
    .map((part) => {
      const param = PARAM.exec(part)?.[1]
      if (param !== undefined) {
        if (names.has(param)) throw invalid()
        names.add(param)
        return { param }
      }
      if (!LITERAL.test(part) || part === '.' || part === '..') throw invalid()
      return { literal: part }
    })
}

function compile(descriptor: ProviderDescriptor): Omit<Provider, 'upstream'> {
  const { id } = descriptor
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new TypeError(`createVoiceProxy: a provider id must be lowercase letters, digits and dashes, got ${id}`)
  }
  const header = descriptor.auth?.header
  if (typeof header !== 'string' || !TOKEN.test(header)) {
    throw new TypeError(`createVoiceProxy: provider ${id} has an invalid auth header name: ${header}`)
  }
  if (/[\r\n]/.test(descriptor.auth.prefix ?? '')) {
    throw new TypeError(`createVoiceProxy: provider ${id} has an invalid auth prefix`)
  }
  const endpoints = descriptor.endpoints.map((endpoint) => {
    positive(`the maxBytes of ${id}${endpoint.path}`, endpoint.maxBytes)
    for (const name of endpoint.query ?? []) {
      if (!QUERY_NAME.test(name))
        throw new TypeError(`createVoiceProxy: provider ${id} has an invalid query name: ${name}`)
    }
    return { endpoint, segments: compilePath(id, endpoint.path) }
  })
  if (descriptor.endUserField !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(descriptor.endUserField)) {
    throw new TypeError(`createVoiceProxy: provider ${id} has an invalid endUserField: ${descriptor.endUserField}`)
  }
  return { descriptor, endpoints, requestHeaders: extraRequestHeaders(descriptor.requestHeaders) }
}

function upstreamOf(descriptor: ProviderDescriptor, config: ProviderConfig | undefined): Upstream | undefined {
  const { id } = descriptor
  if (!config) return undefined
  const apiKey = config.apiKey?.trim() || undefined
  // A provider is configured by its key, or by a base URL of its own (a self-hosted server).
  if (!apiKey && !config.baseUrl) return undefined
  if (apiKey && /[\r\n]/.test(apiKey))
    throw new TypeError(`createVoiceProxy: providers.${id}.apiKey is not a header value`)
  const baseUrl = (config.baseUrl ?? descriptor.defaultBaseUrl).replace(/\/+$/, '')
  let parsed: URL
  try {
    parsed = new URL(baseUrl)
  } catch {
    throw new TypeError(`createVoiceProxy: providers.${id}.baseUrl is not a URL: ${baseUrl}`)
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new TypeError(`createVoiceProxy: providers.${id}.baseUrl must be a plain http(s) URL: ${baseUrl}`)
  }
  const { header, prefix = '' } = descriptor.auth
  return {
    baseUrl,
    auth: apiKey ? [header, `${prefix}${apiKey}`] : undefined,
    maxUploadBytes: positive(`providers.${id}.maxUploadBytes`, config.maxUploadBytes),
  }
}

/** The built-in descriptors with `providers`' settings, then the app's own from `custom` (one with a built-in's id takes its place). */
export function resolveProviders(options: VoiceProxyOptions): ReadonlyMap<string, Provider> {
  const entries = new Map<string, [ProviderDescriptor, ProviderConfig | undefined]>()
  const configs: Readonly<Record<string, ProviderConfig | undefined>> = options.providers ?? {}
  for (const descriptor of Object.values(providerDescriptors)) {
    entries.set(descriptor.id, [descriptor, Object.hasOwn(configs, descriptor.id) ? configs[descriptor.id] : undefined])
  }
  for (const id of Object.keys(configs)) {
    if (!Object.hasOwn(providerDescriptors, id)) {
      throw new TypeError(`createVoiceProxy: providers.${id} is not a built-in provider (pass a descriptor in custom)`)
    }
  }
  const custom = new Set<string>()
  for (const { descriptor, ...config } of options.custom ?? []) {
    const id: unknown = descriptor?.id
    if (typeof id !== 'string') throw new TypeError('createVoiceProxy: every custom provider needs a descriptor')
    if (custom.has(id)) throw new TypeError(`createVoiceProxy: custom has two providers with the id ${id}`)
    if (configs[id] !== undefined) {
      throw new TypeError(`createVoiceProxy: ${id} is in both providers and custom (configure it in one place)`)
    }
    custom.add(id)
    entries.set(id, [descriptor, config])
  }
  const providers = new Map<string, Provider>()
  for (const [id, [descriptor, config]] of entries) {
    providers.set(id, { ...compile(descriptor), upstream: upstreamOf(descriptor, config) })
  }
  return providers
}

export { positive }
