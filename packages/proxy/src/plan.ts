// The one place where policy lives. `decide` looks at a request's head (method, path, query, headers)
// and answers it at once (404, 403, 405, 413, not configured...) or returns an upstream plan: where to
// send it, with which headers, under which limit and timeout, with which body rewrite. The Fetch path
// (fetch-path.ts) and the Node path (node-path.ts) execute a plan; neither decides anything itself.
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
  userRefused,
} from './errors'
import { extraRequestHeaders, forwardedRequestHeaders } from './headers'
import type { VoiceProxyOptions } from './options'
import { corsHeaders, originAllowed } from './origins'
import { type Provider, positive, resolveProviders } from './providers'
import { forwardedQuery } from './query'
import { matchRoute, normaliseBasePath, type Route } from './routes'

export const DEFAULT_BASE_PATH = '/api/voice'
export const DEFAULT_TIMEOUT_MS = 60_000
/** Added to an endpoint's file limit by default: the multipart envelope around a file at the limit. */
export const ENVELOPE_ALLOWANCE = 64 * 1024

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

export interface Policy {
  readonly basePath: string
  decide(request: Request): Promise<Decision>
  /** The providers' error shapes, for failures met while a plan runs. */
  fail(plan: UpstreamPlan, error: ProxyError): Response
}

export function createPolicy(options: VoiceProxyOptions): Policy {
  const basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH)
  const timeoutMs = positive('timeoutMs', options.timeoutMs) ?? DEFAULT_TIMEOUT_MS
  const maxUploadBytes = positive('maxUploadBytes', options.maxUploadBytes)
  const providers = resolveProviders(options)
  const extraHeaders = extraRequestHeaders(options.forwardHeaders)
  const trustForwarded = options.trustForwardedHeaders === true
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

  async function plan(request: Request, route: Route, search: string, cors: Record<string, string>): Promise<Decision> {
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
    if (!allowed && origin !== null) return answer(errorResponse(descriptor, forbiddenOrigin(origin), cors))
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

  return {
    basePath,
    decide,
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
