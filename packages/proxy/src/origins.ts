// Which browser pages may call the proxy, and the CORS headers that say so.
import { VOICE_ERROR_HEADER } from '@voicekit/core/server'
import type { AllowedOrigins } from './options'

const normaliseOrigin = (origin: string) => origin.trim().replace(/\/+$/, '').toLowerCase()

/** The first entry of a list-valued header (`a, b` after a chain of proxies: the client-facing one). */
const first = (value: string | null) => value?.split(',')[0]?.trim() || undefined

/** A bare `host[:port]` (a reg-name or an IP literal), nothing else. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * The host (and, behind a trusted reverse proxy, the scheme) the browser addressed. The Host header
 * comes first: in Next.js route handlers `request.url` says `localhost:PORT` whatever the browser
 * asked for, while the Host header is passed through. `request.url` is the fallback (Workers, Deno).
 */
export function addressed(
  request: Request,
  trustForwarded: boolean,
): { readonly host: string; readonly scheme?: string } | undefined {
  const forwardedHost = trustForwarded ? first(request.headers.get('x-forwarded-host')) : undefined
  const forwardedProto = trustForwarded ? first(request.headers.get('x-forwarded-proto'))?.toLowerCase() : undefined
  let host = forwardedHost ?? request.headers.get('host') ?? undefined
  if (host === undefined) {
    try {
      host = new URL(request.url).host
    } catch {
      return undefined
    }
  }
  if (!HOST.test(host)) return undefined
  if (forwardedProto !== undefined && !/^https?$/.test(forwardedProto)) return undefined
  return forwardedProto === undefined ? { host } : { host, scheme: forwardedProto }
}

/**
 * The default policy: a page on the host the browser addressed. The scheme is compared only when a
 * trusted reverse proxy states it (TLS often ends in front of the server, which then sees plain HTTP).
 */
function sameHost(origin: string, request: Request, trustForwarded: boolean): boolean {
  const target = addressed(request, trustForwarded)
  if (!target) return false
  try {
    const page = new URL(origin)
    if (!/^https?:$/.test(page.protocol) || page.origin === 'null') return false
    if (target.scheme !== undefined && page.protocol !== `${target.scheme}:`) return false
    // Parsed with a scheme so that a default port written out (`:443`) compares equal to none.
    const host = new URL(`${target.scheme ?? page.protocol.slice(0, -1)}://${target.host}`).host
    return page.host === host
  } catch {
    return false // `Origin: null` and other opaque origins
  }
}

export function originAllowed(
  origin: string,
  request: Request,
  policy: AllowedOrigins | undefined,
  trustForwarded: boolean,
): boolean {
  if (policy === '*') return true
  if (typeof policy === 'function') return policy(origin)
  if (policy) return policy.some((allowed) => normaliseOrigin(allowed) === normaliseOrigin(origin))
  return sameHost(origin, request, trustForwarded)
}

export function corsHeaders(origin: string | null): Record<string, string> {
  const headers: Record<string, string> = { vary: 'Origin' }
  if (origin === null) return headers
  return {
    ...headers,
    'access-control-allow-origin': origin,
    'access-control-expose-headers': `${VOICE_ERROR_HEADER}, retry-after, content-length`,
  }
}
