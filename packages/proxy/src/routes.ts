// Routing is a lookup in the providers' endpoint templates: `{basePath}/{provider}{endpoint.path}`.
// Nothing is "fixed up": a path that is not, segment for segment, an allowlisted template (with each
// parameter one plain segment) is unknown — percent-encodings, dot segments, doubled or trailing
// slashes, other case. The upstream path is the template filled with the matched values, never the
// client's string.
import type { ProviderDescriptor, ProviderEndpoint } from '@voicekit/core/server'
import { PARAM_VALUE, type Provider } from './providers'

export interface Route {
  readonly provider: Provider
  readonly endpoint: ProviderEndpoint
  /** The endpoint's path below the provider's base URL, parameters filled in. */
  readonly upstreamPath: string
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

function fill(provider: Provider, parts: readonly string[]): Route | undefined {
  for (const { endpoint, segments } of provider.endpoints) {
    if (segments.length !== parts.length) continue
    const matches = segments.every((segment, i) => {
      const part = parts[i] as string
      return 'literal' in segment ? segment.literal === part : PARAM_VALUE.test(part)
    })
    if (!matches) continue
    const filled = segments.map((segment, i) => ('literal' in segment ? segment.literal : (parts[i] as string)))
    return { provider, endpoint, upstreamPath: `/${filled.join('/')}` }
  }
  return undefined
}

export function matchRoute(pathname: string, basePath: string, providers: ReadonlyMap<string, Provider>): RouteMatch {
  if (!isBelow(pathname, basePath)) return { kind: 'outside' }
  const [id, ...parts] = pathname.slice(basePath.length + 1).split('/')
  const provider = id === undefined ? undefined : providers.get(id)
  if (!provider || parts.length === 0) return { kind: 'unknown' }
  const route = fill(provider, parts)
  return route ? { kind: 'route', route } : { kind: 'unknown', descriptor: provider.descriptor }
}
