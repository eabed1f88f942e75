// The one place where policy lives. `decide` looks at a request's head (method, path, query, headers)
// and answers it at once (404, 403, 405, 413, not configured...) or returns an upstream plan: where to
// send it, with which headers, under which limit and timeout, with which body rewrite. The Fetch path
// (fetch-path.ts) and the Node path (node-path.ts) execute a plan; neither decides anything itself.
//
// Real time: `decideUpgrade` does the same for a WebSocket handshake — it refuses it (before any upstream
// connection) or returns a socket plan, which the relays execute (relay/node.ts with ws, relay/workers.ts
// with WebSocketPair). A token route is decided here too, and answered by `decide` itself: its upstream
// body is written by the server (relay/token.ts sends it), so no byte of the browser's crosses, on the
// Node path or the Fetch path alike.
import type { ProviderDescriptor } from '@voicekit/core/server'
import { type EndUserRewrite, endUserRewrite } from './end-user'
import {
  badRequest,
  clientAborted,
  errorResponse,
  forbiddenOrigin,
  methodNotAllowed,
  notConfigured,
  notFound,
  type ProxyError,
  serverMisconfigured,
  tooLarge,
  upgradeRequired,
  userRefused,
} from './errors'
import { extraRequestHeaders, forwardedRequestHeaders } from './headers'
import type { VoiceProxyOptions } from './options'
import { corsHeaders, originAllowed } from './origins'
import { type Provider, positive, resolveProviders } from './providers'
import { forwardedQuery } from './query'
import { exchangeToken, type TokenFetch } from './relay/token'
import { matchRoute, normaliseBasePath, type Route } from './routes'

export const DEFAULT_BASE_PATH = '/api/voice'
export const DEFAULT_TIMEOUT_MS = 60_000
/** Added to an endpoint's file limit by default: the multipart envelope around a file at the limit. */
export const ENVELOPE_ALLOWANCE = 64 * 1024
/** The relay's defaults: OpenAI's own 60-minute session limit, about an hour of 24 kHz audio, a minute of silence. */
export const DEFAULT_RELAY_LIMITS = {
  maxSessionMs: 60 * 60 * 1000,
  maxBytes: 256 * 1024 * 1024,
  idleTimeoutMs: 60_000,
} as const

export interface UpstreamPlan {
  /** The configured base URL, the endpoint template filled with checked values, the allowed query. */
  readonly url: string
  /** Lower-case names: the allowlisted request headers, the key's header, accept-encoding: identity. */
  readonly headers: Readonly<Record<string, string>>
  /** The Content-Length the client declared (checked against `limit`), re-declared when the body passes unchanged. */
  readonly length: number | undefined
  /** Largest request body, counted while it streams: past it, 413 and the upstream request aborted. */
  readonly limit: number
  /** Longest silence tolerated, both ways. */
  readonly timeoutMs: number
  readonly rewrite: EndUserRewrite | undefined
  /** The provider whose error shape the proxy's own failures take. */
  readonly descriptor: ProviderDescriptor
  /** CORS headers for the answer, whatever it is. */
  readonly cors: Readonly<Record<string, string>>
}

export type Decision =
  | { readonly kind: 'answer'; readonly response: Response }
  | { readonly kind: 'forward'; readonly plan: UpstreamPlan }

/** A relayed real-time session: where the server opens the provider's socket, and under which limits. */
export interface SocketPlan {
  /** `ws:`/`wss:`: the configured base URL, the socket template filled, the allowed query re-encoded, then fixedQuery. */
  readonly url: string
  /** Lower-case names: the key's header, nothing else (no cookie, no authorization, no origin of the browser's). */
  readonly headers: Readonly<Record<string, string>>
  /** The subprotocols the browser offered that the descriptor lists, in the browser's order: offered upstream. */
  readonly protocols: readonly string[]
  /** Largest message either way (1009 past it). */
  readonly maxFrameBytes: number
  /** Most bytes both ways together (4413 past it). */
  readonly maxBytes: number
  /** Longest session (4410 past it). */
  readonly maxSessionMs: number
  /** Longest time without a message either way (4408 past it). */
  readonly idleTimeoutMs: number
  /** Longest wait for the provider's handshake (4504 past it): the proxy's `timeoutMs`. */
  readonly connectTimeoutMs: number
  /** Whose words a refusal carries. */
  readonly descriptor: ProviderDescriptor
  /** Strings that must never reach the browser, not even inside the provider's own words (the key). */
  readonly secrets: readonly string[]
}

export type UpgradeDecision =
  | { readonly kind: 'answer'; readonly response: Response }
  | { readonly kind: 'relay'; readonly plan: SocketPlan }

/** A token route's one upstream request: the server's body, the key, nothing of the browser's. */
export interface TokenPlan {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The descriptor's `fixedBody` as JSON, or undefined for an empty POST. */
  readonly body: string | undefined
  readonly timeoutMs: number
  readonly descriptor: ProviderDescriptor
  /** CORS headers and `cache-control: no-store`, on whatever the answer is. */
  readonly headersOut: Readonly<Record<string, string>>
}

export interface Policy {
  readonly basePath: string
  decide(request: Request): Promise<Decision>
  /**
   * A WebSocket handshake (GET with `Upgrade: websocket`) on a socket route: refused at once (foreign
   * origin, unknown path, bad query or subprotocol header, no key, the user gate) or a socket plan.
   */
  decideUpgrade(request: Request): Promise<UpgradeDecision>
  /** The providers' error shapes, for failures met while a plan runs. */
  fail(plan: UpstreamPlan, error: ProxyError): Response
}

/** A subprotocol as RFC 6455 allows one: an HTTP token. */
const PROTOCOL = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** The offered subprotocols (`a, b`), or undefined when the header is malformed (ws would refuse it too). */
function offeredProtocols(header: string | null): string[] | undefined {
  if (header === null) return []
  const offered = header.split(',').map((item) => item.trim())
  if (offered.some((item) => !PROTOCOL.test(item)) || new Set(offered).size !== offered.length) return undefined
  return offered
}

export function createPolicy(options: VoiceProxyOptions): Policy {
  const basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH)
  const timeoutMs = positive('timeoutMs', options.timeoutMs) ?? DEFAULT_TIMEOUT_MS
  const maxUploadBytes = positive('maxUploadBytes', options.maxUploadBytes)
  const providers = resolveProviders(options)
  const extraHeaders = extraRequestHeaders(options.forwardHeaders)
  const trustForwarded = options.trustForwardedHeaders === true
  const relay = options.relay ?? {}
  const maxSessionMs = positive('relay.maxSessionMs', relay.maxSessionMs) ?? DEFAULT_RELAY_LIMITS.maxSessionMs
  const maxSessionBytes = positive('relay.maxBytes', relay.maxBytes) ?? DEFAULT_RELAY_LIMITS.maxBytes
  const idleTimeoutMs = positive('relay.idleTimeoutMs', relay.idleTimeoutMs) ?? DEFAULT_RELAY_LIMITS.idleTimeoutMs
  const maxFrameBytes = positive('relay.maxFrameBytes', relay.maxFrameBytes)
  const fetchUpstream: TokenFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const allowHeaders = new Map<Provider, readonly string[]>()
  for (const provider of providers.values()) {
    allowHeaders.set(provider, forwardedRequestHeaders(provider.requestHeaders, extraHeaders))
  }

  const answer = (response: Response): Decision => ({ kind: 'answer', response })

  async function resolveUser(request: Request): Promise<string | undefined | ProxyError> {
    let user: string | undefined
    try {
      user = await options.user?.(request)
    } catch {
      return userRefused()
    }
    if (user !== undefined && (typeof user !== 'string' || /[\r\n]/.test(user))) {
      return serverMisconfigured('The user resolver returned an invalid end user.')
    }
    return user
  }

  /** The user resolver as a gate (token routes, sockets): undefined when it lets the request through. */
  async function gate(request: Request): Promise<ProxyError | undefined> {
    if (options.user === undefined) return undefined
    const user = await resolveUser(request)
    return typeof user === 'object' ? user : undefined
  }

  /** Where to go instead, said by a 426 on a socket route reached without a relay. */
  function socketAdvice(provider: Provider): string {
    const token = provider.tokens[0]?.token.path
    const elsewhere = token
      ? `fetch a short-lived token from ${basePath}/${provider.descriptor.id}${token} (POST) and connect to the provider directly`
      : 'this provider has no token route: serve it from a server that can hold a socket'
    return (
      'This is a real-time socket route: connect a WebSocket to it where the server relays sockets ' +
      "(toUpgradeListener on Node's 'upgrade' event, the Vite plugin, this handler on Workers). " +
      `Where the platform cannot hold a socket (Next.js route handlers, serverless), ${elsewhere}.`
    )
  }

  async function token(request: Request, route: Route & { kind: 'token' }, cors: Record<string, string>) {
    const { provider, token: endpoint } = route
    const { descriptor, upstream } = provider
    // Whatever the answer, it is never stored: it is a credential, or says why there is none.
    const headersOut = { ...cors, 'cache-control': 'no-store' }
    const fail = (error: ProxyError) => answer(errorResponse(descriptor, error, headersOut))
    if (request.method === 'OPTIONS') {
      return answer(preflight(['content-type', 'accept'], request.headers.get('origin'), headersOut))
    }
    if (request.method !== 'POST') {
      return answer(
        errorResponse(descriptor, methodNotAllowed(request.method), { ...headersOut, allow: 'POST, OPTIONS' }),
      )
    }
    if (new URL(request.url).hash) return fail(badRequest('Fragments are not accepted.'))
    if (!upstream) return fail(notConfigured(descriptor))
    // The browser's body is never read nor forwarded; a large one is refused all the same.
    const declared = request.headers.get('content-length')
    if (declared !== null && !/^\d{1,15}$/.test(declared)) return fail(badRequest('Invalid Content-Length.'))
    if (declared !== null && Number(declared) > endpoint.maxBytes) return fail(tooLarge(endpoint.maxBytes))
    const refused = await gate(request)
    if (refused) return fail(refused)
    if (request.signal.aborted) return fail(clientAborted())
    const headers: Record<string, string> = { accept: 'application/json' }
    if (route.body !== undefined) headers['content-type'] = 'application/json'
    if (upstream.auth) headers[upstream.auth[0]] = upstream.auth[1]
    const plan: TokenPlan = {
      url: `${upstream.baseUrl}${route.upstreamPath}`,
      headers,
      body: route.body,
      timeoutMs,
      descriptor,
      headersOut,
    }
    return answer(await exchangeToken(plan, fetchUpstream, request.signal))
  }

  async function plan(
    request: Request,
    route: Route & { kind: 'http' },
    search: string,
    cors: Record<string, string>,
  ): Promise<Decision> {
    const { provider, endpoint } = route
    const { descriptor, upstream } = provider
    const fail = (error: ProxyError) => answer(errorResponse(descriptor, error, cors))
    if (!upstream) return fail(notConfigured(descriptor))
    const limit = upstream.maxUploadBytes ?? maxUploadBytes ?? endpoint.maxBytes + ENVELOPE_ALLOWANCE

    const declared = request.headers.get('content-length')
    let length: number | undefined
    if (declared !== null) {
      // Duplicates arrive joined ("10, 10"): refused like any other malformed value.
      if (!/^\d{1,15}$/.test(declared)) return fail(badRequest('Invalid Content-Length.'))
      length = Number(declared)
      if (length > limit) return fail(tooLarge(limit))
    }

    const headers: Record<string, string> = { 'accept-encoding': 'identity' }
    for (const name of allowHeaders.get(provider) ?? []) {
      const value = request.headers.get(name)
      if (value !== null) headers[name] = value
    }
    if (upstream.auth) headers[upstream.auth[0]] = upstream.auth[1]

    let rewrite: EndUserRewrite | undefined
    if (descriptor.endUserField !== undefined && options.user !== undefined) {
      const user = await resolveUser(request)
      if (typeof user === 'object') return fail(user)
      const decided = endUserRewrite(descriptor.endUserField, request.headers.get('content-type'), user)
      if ('status' in decided) return fail(decided)
      rewrite = decided
    }
    if (request.signal.aborted) return fail(clientAborted())
    const url = `${upstream.baseUrl}${route.upstreamPath}${search}`
    return { kind: 'forward', plan: { url, headers, length, limit, timeoutMs, rewrite, descriptor, cors } }
  }

  async function decide(request: Request): Promise<Decision> {
    const url = new URL(request.url)
    const match = matchRoute(url.pathname, basePath, providers)
    const origin = request.headers.get('origin')
    const allowed = origin === null || originAllowed(origin, request, options.allowedOrigins, trustForwarded)
    const cors = corsHeaders(allowed ? origin : null)
    if (match.kind !== 'route') {
      return answer(errorResponse(match.kind === 'unknown' ? match.descriptor : undefined, notFound(), cors))
    }
    const { route } = match
    const { descriptor } = route.provider
    if (!allowed && origin !== null) {
      const headers = route.kind === 'token' ? { ...cors, 'cache-control': 'no-store' } : cors
      return answer(errorResponse(descriptor, forbiddenOrigin(origin), headers))
    }
    if (route.kind === 'socket') {
      // Reached without a relay: a runtime that holds no socket (Next.js, Node's Fetch path), or no upgrade.
      const refusal = upgradeRequired(socketAdvice(route.provider))
      return answer(errorResponse(descriptor, refusal, { ...cors, upgrade: 'websocket' }))
    }
    if (route.kind === 'token') return token(request, route, cors)
    if (request.method === 'OPTIONS') {
      return answer(preflight(allowHeaders.get(route.provider) ?? [], origin, cors))
    }
    if (request.method !== 'POST') {
      return answer(errorResponse(descriptor, methodNotAllowed(request.method), { ...cors, allow: 'POST, OPTIONS' }))
    }
    // Only the endpoint's own query parameters pass, re-encoded; the rest is ignored, never forwarded.
    if (url.hash) return answer(errorResponse(descriptor, badRequest('Fragments are not accepted.'), cors))
    const query = forwardedQuery(url, route.endpoint)
    if (!query.ok) return answer(errorResponse(descriptor, badRequest(query.reason), cors))
    return plan(request, route, query.search, cors)
  }

  async function decideUpgrade(request: Request): Promise<UpgradeDecision> {
    const refuse = (
      descriptor: ProviderDescriptor | undefined,
      error: ProxyError,
      headers: Record<string, string> = {},
    ) => ({ kind: 'answer', response: errorResponse(descriptor, error, { vary: 'Origin', ...headers }) }) as const
    const url = new URL(request.url)
    const match = matchRoute(url.pathname, basePath, providers)
    if (match.kind !== 'route') {
      return refuse(match.kind === 'unknown' ? match.descriptor : undefined, notFound('No such real-time route.'))
    }
    const { route } = match
    const { descriptor, upstream } = route.provider
    // A browser always sends Origin on a WebSocket: a foreign one never gets as far as the provider.
    // (No Origin at all is a client that is not a browser: a server, a CLI. The check stops other sites.)
    const origin = request.headers.get('origin')
    if (origin !== null && !originAllowed(origin, request, options.allowedOrigins, trustForwarded)) {
      return refuse(descriptor, forbiddenOrigin(origin))
    }
    if (route.kind !== 'socket') return refuse(descriptor, notFound('This route is not a real-time socket.'))
    if (request.method !== 'GET') return refuse(descriptor, methodNotAllowed(request.method), { allow: 'GET' })
    if (request.headers.get('upgrade')?.trim().toLowerCase() !== 'websocket') {
      return refuse(descriptor, upgradeRequired('This route takes a WebSocket (Upgrade: websocket).'), {
        upgrade: 'websocket',
      })
    }
    if (url.hash) return refuse(descriptor, badRequest('Fragments are not accepted.'))
    const { socket } = route
    // Only the socket's own parameters pass, re-encoded (never a token: the server adds the key), then
    // the ones the server always writes. Anything else the browser put in the URL is dropped.
    // (forwardedQuery reads only the endpoint's `query`.)
    const query = forwardedQuery(url, { path: socket.path, operation: 'transcribe', maxBytes: 1, query: socket.query })
    if (!query.ok) return refuse(descriptor, badRequest(query.reason))
    const search = new URLSearchParams(query.search)
    for (const [name, value] of Object.entries(socket.fixedQuery ?? {})) search.set(name, value)
    const offered = offeredProtocols(request.headers.get('sec-websocket-protocol'))
    if (offered === undefined) return refuse(descriptor, badRequest('Invalid Sec-WebSocket-Protocol header.'))
    if (!upstream) return refuse(descriptor, notConfigured(descriptor))
    const refused = await gate(request)
    if (refused) return refuse(descriptor, refused)
    // Only the listed ones: a credential a browser offers (`openai-insecure-api-key.…`) is dropped here.
    const allowedProtocols = socket.subprotocols ?? []
    const protocols = offered.filter((protocol) => allowedProtocols.includes(protocol))
    const headers: Record<string, string> = {}
    if (upstream.auth) headers[upstream.auth[0]] = upstream.auth[1]
    const rest = search.toString()
    const base = upstream.baseUrl.replace(/^http/, 'ws')
    return {
      kind: 'relay',
      plan: {
        url: `${base}${route.upstreamPath}${rest ? `?${rest}` : ''}`,
        headers,
        protocols,
        maxFrameBytes: maxFrameBytes ?? socket.maxFrameBytes,
        maxBytes: maxSessionBytes,
        maxSessionMs,
        idleTimeoutMs,
        connectTimeoutMs: timeoutMs,
        descriptor,
        secrets: upstream.apiKey ? [upstream.apiKey] : [],
      },
    }
  }

  return {
    basePath,
    decide,
    decideUpgrade,
    fail: (plan, error) => errorResponse(plan.descriptor, error, plan.cors),
  }
}

function preflight(allowHeaders: readonly string[], origin: string | null, cors: Record<string, string>): Response {
  const headers: Record<string, string> = { ...cors, allow: 'POST, OPTIONS' }
  if (origin !== null) {
    headers['access-control-allow-methods'] = 'POST'
    headers['access-control-allow-headers'] = allowHeaders.join(', ')
    headers['access-control-max-age'] = '600'
  }
  return new Response(null, { status: 204, headers })
}
