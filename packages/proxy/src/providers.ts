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
  /** The key itself, only to keep it out of what the proxy passes back (a provider's close reason). */
  readonly apiKey: string | undefined
  readonly maxUploadBytes: number | undefined
}

/** One segment of a compiled path template: a literal, or a parameter's name. */
export type Segment = { readonly literal: string } | { readonly param: string }

export type ProviderSocketEndpoint = NonNullable<ProviderDescriptor['sockets']>[number]
export type ProviderTokenEndpoint = NonNullable<ProviderDescriptor['tokens']>[number]

export interface CompiledEndpoint {
  readonly endpoint: ProviderEndpoint
  readonly segments: readonly Segment[]
}

export interface CompiledSocket {
  readonly socket: ProviderSocketEndpoint
  readonly segments: readonly Segment[]
}

export interface CompiledToken {
  readonly token: ProviderTokenEndpoint
  readonly segments: readonly Segment[]
  /** `fixedBody` as sent upstream (JSON), or undefined for an empty POST. */
  readonly body: string | undefined
}

export interface Provider {
  readonly descriptor: ProviderDescriptor
  readonly endpoints: readonly CompiledEndpoint[]
  /** Real-time sockets the relay serves. */
  readonly sockets: readonly CompiledSocket[]
  /** Token routes (a POST whose body the server writes). */
  readonly tokens: readonly CompiledToken[]
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

/** A fixed query value: a plain token, like the values a client may pass. */
const QUERY_VALUE = /^[A-Za-z0-9_.,:-]{1,256}$/
/** Subprotocol names that carry (or announce) a credential: never relayed, whatever a descriptor says. */
const CREDENTIAL_PROTOCOL = /key|secret|token|bearer|auth|passw|ek_/i

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
  const queryNames = (names: readonly string[] | undefined) => {
    for (const name of names ?? []) {
      if (!QUERY_NAME.test(name))
        throw new TypeError(`createVoiceProxy: provider ${id} has an invalid query name: ${name}`)
    }
  }
  const endpoints = descriptor.endpoints.map((endpoint) => {
    positive(`the maxBytes of ${id}${endpoint.path}`, endpoint.maxBytes)
    queryNames(endpoint.query)
    return { endpoint, segments: compilePath(id, endpoint.path) }
  })
  const sockets = (descriptor.sockets ?? []).map((socket) => {
    if (socket.operation !== 'transcribe-stream') {
      throw new TypeError(
        `createVoiceProxy: provider ${id} has a socket with an unknown operation: ${socket.operation}`,
      )
    }
    positive(`the maxFrameBytes of ${id}${socket.path}`, socket.maxFrameBytes)
    queryNames(socket.query)
    for (const [name, value] of Object.entries(socket.fixedQuery ?? {})) {
      if (!QUERY_NAME.test(name) || typeof value !== 'string' || !QUERY_VALUE.test(value)) {
        throw new TypeError(`createVoiceProxy: provider ${id} has an invalid fixed query parameter: ${name}`)
      }
      if (socket.query?.includes(name)) {
        throw new TypeError(`createVoiceProxy: provider ${id} lets the browser set its fixed query parameter ${name}`)
      }
    }
    for (const protocol of socket.subprotocols ?? []) {
      if (typeof protocol !== 'string' || !TOKEN.test(protocol.toLowerCase()) || CREDENTIAL_PROTOCOL.test(protocol)) {
        throw new TypeError(`createVoiceProxy: provider ${id} has a subprotocol the relay may not pass: ${protocol}`)
      }
    }
    return { socket, segments: compilePath(id, socket.path) }
  })
  const tokens = (descriptor.tokens ?? []).map((token) => {
    if (token.operation !== 'token') {
      throw new TypeError(
        `createVoiceProxy: provider ${id} has a token route with an unknown operation: ${token.operation}`,
      )
    }
    positive(`the maxBytes of ${id}${token.path}`, token.maxBytes)
    let body: string | undefined
    if (token.fixedBody !== undefined) {
      try {
        body = JSON.stringify(token.fixedBody)
      } catch {}
      if (typeof body !== 'string') {
        throw new TypeError(`createVoiceProxy: provider ${id} has a token body that is not JSON: ${token.path}`)
      }
    }
    return { token, segments: compilePath(id, token.path), body }
  })
  const templates = new Set<string>()
  for (const { path } of [...descriptor.endpoints, ...(descriptor.sockets ?? []), ...(descriptor.tokens ?? [])]) {
    const template = path.replace(/\{[^}]*\}/g, '{}')
    if (templates.has(template)) throw new TypeError(`createVoiceProxy: provider ${id} has two routes at ${path}`)
    templates.add(template)
  }
  if (descriptor.endUserField !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(descriptor.endUserField)) {
    throw new TypeError(`createVoiceProxy: provider ${id} has an invalid endUserField: ${descriptor.endUserField}`)
  }
  return { descriptor, endpoints, sockets, tokens, requestHeaders: extraRequestHeaders(descriptor.requestHeaders) }
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
    apiKey,
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
