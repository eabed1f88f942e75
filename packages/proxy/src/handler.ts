// createVoiceProxy: a standard Fetch handler (Request → Response) that forwards the providers' known
// endpoints with the server's API key. It uses only Request, Response, fetch, streams and timers, so it
// runs unchanged on Node, in Next.js route handlers and on Workers runtimes. It holds no state.
import { type ProviderId, providerDescriptors } from '@voicekit/core'
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
  timedOut,
  tooLarge,
  unreachable,
  userRefused,
} from './errors'
import { copyResponseHeaders, extraRequestHeaders, forwardedRequestHeaders } from './headers'
import { type MalformedMultipartError, multipartBoundary, rewriteMultipartUser } from './multipart'
import type { VoiceProxyHandler, VoiceProxyOptions } from './options'
import { corsHeaders, originAllowed } from './origins'
import { forwardedQuery } from './query'
import { matchRoute, normaliseBasePath, type Route } from './routes'
import { idleTimer, limitUpload, readAll, relay } from './streams'

export const DEFAULT_BASE_PATH = '/api/voice'
export const DEFAULT_TIMEOUT_MS = 60_000
/** Added to an endpoint's file limit by default: the multipart envelope around a file at the limit. */
export const ENVELOPE_ALLOWANCE = 64 * 1024

interface Upstream {
  readonly baseUrl: string
  readonly apiKey: string | undefined
  readonly maxUploadBytes: number | undefined
}

type FixedLengthStreamClass = new (length: number) => TransformStream<Uint8Array, Uint8Array>

/**
 * The proxy never follows a provider's redirect, and says so with 'error' where the runtime accepts it.
 * On Node that is also what keeps uploads flat: undici keeps a copy of a streamed request body, to send
 * it again after a redirect, unless the mode is 'error'. Workers refuse 'error' (and keep no copy):
 * there 'manual' is used, and a 3xx answer is refused below just as Node's fetch refuses it.
 */
function noRedirects(): RequestRedirect {
  try {
    new Request('http://localhost/', { method: 'POST', redirect: 'error' })
    return 'error'
  } catch {
    return 'manual'
  }
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`createVoiceProxy: ${name} must be a positive number, got ${value}`)
  }
  return value
}

function resolveUpstreams(options: VoiceProxyOptions): Partial<Record<ProviderId, Upstream>> {
  const upstreams: Partial<Record<ProviderId, Upstream>> = {}
  for (const id of Object.keys(providerDescriptors) as ProviderId[]) {
    const config = options.providers[id]
    if (!config) continue
    const apiKey = config.apiKey?.trim() || undefined
    // A provider is configured by its key, or by a base URL of its own (a self-hosted server).
    if (!apiKey && !config.baseUrl) continue
    const baseUrl = (
      config.baseUrl ?? providerDescriptors[id as keyof typeof providerDescriptors].defaultBaseUrl
    ).replace(/\/+$/, '')
    let parsed: URL
    try {
      parsed = new URL(baseUrl)
    } catch {
      throw new TypeError(`createVoiceProxy: providers.${id}.baseUrl is not a URL: ${baseUrl}`)
    }
    if (!/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash || parsed.username || parsed.password) {
      throw new TypeError(`createVoiceProxy: providers.${id}.baseUrl must be a plain http(s) URL: ${baseUrl}`)
    }
    const maxUploadBytes = positive(`providers.${id}.maxUploadBytes`, config.maxUploadBytes)
    upstreams[id] = { baseUrl, apiKey, maxUploadBytes }
  }
  return upstreams
}

export function createVoiceProxy(options: VoiceProxyOptions): VoiceProxyHandler {
  const basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH)
  const timeoutMs = positive('timeoutMs', options.timeoutMs) ?? DEFAULT_TIMEOUT_MS
  const maxUploadBytes = positive('maxUploadBytes', options.maxUploadBytes)
  const upstreams = resolveUpstreams(options)
  const extraHeaders = extraRequestHeaders(options.forwardHeaders)
  const fetchUpstream = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init))
  const redirect = noRedirects()
  const trustForwarded = options.trustForwardedHeaders === true

  async function forward(
    request: Request,
    route: Route,
    upstream: Upstream,
    search: string,
    cors: Record<string, string>,
  ): Promise<Response> {
    const { provider, descriptor, endpoint } = route
    const fail = (error: ProxyError) => errorResponse(descriptor, error, cors)
    const limit = upstream.maxUploadBytes ?? maxUploadBytes ?? endpoint.maxBytes + ENVELOPE_ALLOWANCE

    const declared = request.headers.get('content-length')
    let length: number | undefined
    if (declared !== null) {
      // Duplicates arrive joined ("10, 10"): refused like any other malformed value.
      if (!/^\d{1,15}$/.test(declared)) return fail(badRequest('Invalid Content-Length.'))
      length = Number(declared)
      if (length > limit) return fail(tooLarge(limit))
    }

    const headers = new Headers({ 'accept-encoding': 'identity' })
    for (const name of forwardedRequestHeaders(provider, extraHeaders)) {
      const value = request.headers.get(name)
      if (value !== null) headers.set(name, value)
    }
    if (upstream.apiKey) headers.set('authorization', `Bearer ${upstream.apiKey}`)

    const rewriteUser = provider === 'dify' && options.user !== undefined
    let user: string | undefined
    if (rewriteUser && options.user) {
      try {
        user = await options.user(request)
      } catch {
        return fail(userRefused())
      }
      if (user !== undefined && (typeof user !== 'string' || /[\r\n]/.test(user))) {
        return fail(serverMisconfigured('The user resolver returned an invalid Dify user.'))
      }
    }
    if (request.signal.aborted) return fail(clientAborted())

    // From here on, one controller aborts the upstream request: client gone, limit, timeout.
    const abort = new AbortController()
    let failure: ProxyError | undefined
    const stop = (error: ProxyError) => {
      failure ??= error
      abort.abort(new Error(error.message))
    }
    const onClientAbort = () => stop(clientAborted())
    request.signal.addEventListener('abort', onClientAbort, { once: true })
    const timer = idleTimer(timeoutMs, () => stop(timedOut(timeoutMs)))
    const cleanup = () => {
      timer.clear()
      request.signal.removeEventListener('abort', onClientAbort)
    }
    timer.touch()

    let body: ReadableStream<Uint8Array> | string | null = null
    let abandonUpload = () => {}
    if (request.body) {
      const upload = limitUpload(request.body, limit, timer.touch, () => stop(tooLarge(limit)))
      const limited = upload.stream
      abandonUpload = upload.abandon
      if (rewriteUser && endpoint.operation === 'speak') {
        // Dify text-to-audio: a small JSON body (capped by `limit`), rewritten whole.
        const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
        if (type !== 'application/json') {
          cleanup()
          await limited.cancel().catch(() => {})
          return fail(badRequest('Dify text-to-audio expects a JSON body.'))
        }
        let parsed: unknown
        try {
          parsed = JSON.parse(await readAll(limited))
        } catch {
          cleanup()
          return fail(failure ?? badRequest('The JSON body could not be parsed.'))
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          cleanup()
          return fail(badRequest('The JSON body must be an object.'))
        }
        const { user: _fromClient, ...fields } = parsed as Record<string, unknown>
        body = JSON.stringify(user === undefined ? fields : { ...fields, user })
        headers.set('content-type', 'application/json')
      } else if (rewriteUser) {
        // Dify audio-to-text: the multipart body is rewritten while it streams.
        const boundary = multipartBoundary(request.headers.get('content-type'))
        if (!boundary) {
          cleanup()
          await limited.cancel().catch(() => {})
          return fail(badRequest('Dify audio-to-text expects a multipart/form-data body with a boundary.'))
        }
        body = limited.pipeThrough(
          rewriteMultipartUser(boundary, user, (error: MalformedMultipartError) => stop(badRequest(error.message))),
        )
      } else {
        body = limited
        if (length !== undefined) {
          // Workers send a JS stream chunked unless it is a FixedLengthStream; Node's fetch honours the header.
          const Fixed = (globalThis as { FixedLengthStream?: FixedLengthStreamClass }).FixedLengthStream
          if (Fixed) body = limited.pipeThrough(new Fixed(length))
          else headers.set('content-length', String(length))
        }
      }
    }

    let response: Response
    try {
      response = await fetchUpstream(`${upstream.baseUrl}${endpoint.path}${search}`, {
        method: 'POST',
        headers,
        body,
        signal: abort.signal,
        redirect,
        // Node's fetch streams a request body only in half-duplex mode.
        duplex: 'half',
      } as RequestInit)
    } catch (error) {
      cleanup()
      abandonUpload()
      return fail(failure ?? unreachable(provider, describe(error)))
    }
    timer.touch()
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      cleanup()
      abandonUpload()
      await response.body?.cancel().catch(() => {})
      return fail(unreachable(provider, `it answered with a redirect, ${response.status}`))
    }

    const out = new Headers(cors)
    copyResponseHeaders(response.headers, out)
    const status = response.status >= 200 && response.status <= 599 ? response.status : 502
    if (!response.body || status === 204 || status === 205 || status === 304) {
      cleanup()
      await response.body?.cancel().catch(() => {})
      return new Response(null, { status, headers: out })
    }
    return new Response(
      relay(response.body, {
        onChunk: timer.touch,
        onDone: cleanup,
        onCancel: () => {
          stop(clientAborted())
          cleanup()
        },
      }),
      { status, headers: out },
    )
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const match = matchRoute(url.pathname, basePath)
    const origin = request.headers.get('origin')
    const allowed = origin === null || originAllowed(origin, request, options.allowedOrigins, trustForwarded)
    const cors = corsHeaders(allowed ? origin : null)
    if (match.kind !== 'route') {
      return errorResponse(match.kind === 'unknown' ? match.descriptor : undefined, notFound(), cors)
    }
    const { route } = match
    const { descriptor } = route
    if (!allowed && origin !== null) return errorResponse(descriptor, forbiddenOrigin(origin), cors)

    if (request.method === 'OPTIONS')
      return preflight(forwardedRequestHeaders(route.provider, extraHeaders), origin, cors)
    if (request.method !== 'POST') {
      return errorResponse(descriptor, methodNotAllowed(request.method), { ...cors, allow: 'POST, OPTIONS' })
    }
    // Only the endpoint's own query parameters pass, re-encoded; the rest is ignored, never forwarded.
    if (url.hash) return errorResponse(descriptor, badRequest('Fragments are not accepted.'), cors)
    const query = forwardedQuery(url, route.endpoint)
    if (!query.ok) return errorResponse(descriptor, badRequest(query.reason), cors)

    const upstream = upstreams[route.provider]
    if (!upstream) return errorResponse(descriptor, notConfigured(route.provider), cors)
    return forward(request, route, upstream, query.search, cors)
  }

  return Object.assign(handle, { basePath })
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

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return error instanceof Error ? error.message : ''
}
