// Routing is a lookup in the providers' templates — HTTP endpoints, token routes, real-time sockets:
// `{basePath}/{provider}{path}`.
// Nothing is "fixed up": a path that is not, segment for segment, an allowlisted template (with each
// parameter one plain segment) is unknown — percent-encodings, dot segments, doubled or trailing
// slashes, other case. The upstream path is the template filled with the matched values, never the
// client's string.
import type { ProviderDescriptor, ProviderEndpoint } from '@voicekit/core/server'
import {
  PARAM_VALUE,
  type Provider,
  type ProviderSocketEndpoint,
  type ProviderTokenEndpoint,
  type Segment,
} from './providers'

interface RouteBase {
  readonly provider: Provider
  /** The route's path below the provider's base URL, parameters filled in. */
  readonly upstreamPath: string
}

/** An HTTP endpoint (forwarded), a token route (the server writes the body) or a real-time socket (relayed). */
export type Route =
  | (RouteBase & { readonly kind: 'http'; readonly endpoint: ProviderEndpoint })
  | (RouteBase & { readonly kind: 'token'; readonly token: ProviderTokenEndpoint; readonly body: string | undefined })
  | (RouteBase & { readonly kind: 'socket'; readonly socket: ProviderSocketEndpoint })

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route }
  /** Below basePath but not a route; `descriptor` when the provider segment is known. */
  | { readonly kind: 'unknown'; readonly descriptor?: ProviderDescriptor }
  | { readonly kind: 'outside' }

/** `/api/voice/` → `/api/voice`; `/` → `` (routes at the root). Throws on anything but plain segments. */
export function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '')
  const segment = '[A-Za-z0-9_~-][A-Za-z0-9._~-]*'
  if (!new RegExp(`^(/${segment})*$`).test(trimmed) || /\/\.\.?(\/|$)/.test(trimmed)) {
    throw new TypeError(`createVoiceProxy: basePath must be a plain absolute path such as /api/voice, got ${basePath}`)
  }
  return trimmed
}

/** Whether a raw request path is at or below basePath (before any parsing). */
export function isBelow(path: string, basePath: string): boolean {
  return path === basePath || path.startsWith(`${basePath}/`)
}

/** The template filled with the path's values, or undefined when the path is not, segment for segment, this template. */
function fill(segments: readonly Segment[], parts: readonly string[]): string | undefined {
  if (segments.length !== parts.length) return undefined
  const matches = segments.every((segment, i) => {
    const part = parts[i] as string
    return 'literal' in segment ? segment.literal === part : PARAM_VALUE.test(part)
  })
  if (!matches) return undefined
  return `/${segments.map((segment, i) => ('literal' in segment ? segment.literal : (parts[i] as string))).join('/')}`
}

function route(provider: Provider, parts: readonly string[]): Route | undefined {
  for (const { endpoint, segments } of provider.endpoints) {
    const upstreamPath = fill(segments, parts)
    if (upstreamPath !== undefined) return { kind: 'http', provider, endpoint, upstreamPath }
  }
  for (const { token, segments, body } of provider.tokens) {
    const upstreamPath = fill(segments, parts)
    if (upstreamPath !== undefined) return { kind: 'token', provider, token, body, upstreamPath }
  }
  for (const { socket, segments } of provider.sockets) {
    const upstreamPath = fill(segments, parts)
    if (upstreamPath !== undefined) return { kind: 'socket', provider, socket, upstreamPath }
  }
  return undefined
}

export function matchRoute(pathname: string, basePath: string, providers: ReadonlyMap<string, Provider>): RouteMatch {
  if (!isBelow(pathname, basePath)) return { kind: 'outside' }
  const [id, ...parts] = pathname.slice(basePath.length + 1).split('/')
  const provider = id === undefined ? undefined : providers.get(id)
  if (!provider || parts.length === 0) return { kind: 'unknown' }
  const found = route(provider, parts)
  return found ? { kind: 'route', route: found } : { kind: 'unknown', descriptor: provider.descriptor }
}
