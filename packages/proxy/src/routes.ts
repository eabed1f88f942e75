// Routing is an exact lookup in the providers' endpoint lists: `{basePath}/{provider}{endpoint.path}`.
// Nothing is "fixed up": a path that is not byte for byte an allowlisted route (percent-encodings,
// dot segments, doubled or trailing slashes, other case) is unknown, and the upstream URL is always
// built from the configured base URL and the descriptor's path, never from the client's string.
import { type ProviderDescriptor, type ProviderEndpoint, type ProviderId, providerDescriptors } from '@voicekit/core'

export interface Route {
  readonly provider: ProviderId
  readonly descriptor: ProviderDescriptor
  readonly endpoint: ProviderEndpoint
}

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

export function matchRoute(pathname: string, basePath: string): RouteMatch {
  if (!isBelow(pathname, basePath)) return { kind: 'outside' }
  const rest = pathname.slice(basePath.length + 1)
  const slash = rest.indexOf('/')
  if (slash <= 0) return { kind: 'unknown' }
  const id = rest.slice(0, slash)
  if (!Object.hasOwn(providerDescriptors, id)) return { kind: 'unknown' }
  const descriptor: ProviderDescriptor = providerDescriptors[id as keyof typeof providerDescriptors]
  const path = rest.slice(slash)
  const endpoint = descriptor.endpoints.find((candidate) => candidate.path === path)
  if (!endpoint) return { kind: 'unknown', descriptor }
  return { kind: 'route', route: { provider: descriptor.id, descriptor, endpoint } }
}
