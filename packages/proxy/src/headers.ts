// What crosses the proxy, both ways, is an allowlist.

/**
 * Request headers forwarded from the browser. Everything else is dropped: cookie, authorization,
 * proxy-authorization, host, origin, referer, user-agent, accept-language, forwarded/x-forwarded-*,
 * and the hop-by-hop headers (connection, keep-alive, te, trailer, transfer-encoding, upgrade, proxy-*).
 * content-length is validated and re-declared by the proxy itself.
 */
export const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept'] as const

const NEVER_FORWARDED = new Set([
  'authorization',
  'cookie',
  'host',
  'content-length',
  'accept-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'forwarded',
  'origin',
  'referer',
])
const NEVER_FORWARDED_PREFIXES = ['proxy-', 'x-forwarded-', 'sec-', 'access-control-', 'x-voicekit-']

/**
 * Lower-cased extra header names (the app's `forwardHeaders`, a descriptor's `requestHeaders`), or a
 * TypeError for one that must never cross the proxy.
 */
export function extraRequestHeaders(names: readonly string[] = []): readonly string[] {
  return names.map((raw) => {
    const name = raw.trim().toLowerCase()
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw new TypeError(`createVoiceProxy: forwardHeaders has an invalid header name: ${raw}`)
    }
    if (NEVER_FORWARDED.has(name) || NEVER_FORWARDED_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      throw new TypeError(`createVoiceProxy: the ${name} header is never forwarded`)
    }
    return name
  })
}

/** The request headers forwarded for one provider: the common ones, its descriptor's, the app's. */
export function forwardedRequestHeaders(provider: readonly string[], extra: readonly string[] = []): readonly string[] {
  return [...new Set([...FORWARDED_REQUEST_HEADERS, ...provider, ...extra])]
}

/**
 * Response headers passed back from the provider. set-cookie, hop-by-hop headers, CORS headers and
 * anything else are dropped. content-length only passes when the body was not re-encoded.
 */
export const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-language',
  'cache-control',
  'retry-after',
  'x-request-id',
] as const
const FORWARDED_RESPONSE_PREFIXES = ['x-ratelimit-']

export function responseHeaderAllowed(name: string): boolean {
  return (
    (FORWARDED_RESPONSE_HEADERS as readonly string[]).includes(name) ||
    FORWARDED_RESPONSE_PREFIXES.some((prefix) => name.startsWith(prefix))
  )
}

export function copyResponseHeaders(from: Headers, to: Headers): void {
  // The runtime's fetch decodes gzip/br bodies: the upstream length no longer describes what we send.
  const decoded = from.has('content-encoding')
  for (const [name, value] of from) {
    if (decoded && name === 'content-length') continue
    if (responseHeaderAllowed(name)) to.set(name, value)
  }
}
