// A client's query string never reaches a provider as it came. Only the parameters an endpoint lists
// in its descriptor's `query` pass, each at most once and with a plain value, re-encoded by the proxy;
// any other parameter is ignored (Next.js appends its catch-all route's `?path=...` to `request.url`).
import type { ProviderEndpoint } from '@voicekit/core/server'

/** A value of a passed parameter: a plain token (`mp3_44100_128`, `en`, `0.5`). */
const VALUE = /^[A-Za-z0-9_.,:-]{1,256}$/

export type QueryDecision =
  | { readonly ok: true; readonly search: string }
  | { readonly ok: false; readonly reason: string }

export function forwardedQuery(url: URL, endpoint: ProviderEndpoint): QueryDecision {
  const passed = new URLSearchParams()
  for (const name of endpoint.query ?? []) {
    const values = url.searchParams.getAll(name)
    if (values.length > 1) return { ok: false, reason: `The query parameter ${name} is given more than once.` }
    const value = values[0]
    if (value === undefined) continue
    if (!VALUE.test(value)) return { ok: false, reason: `The query parameter ${name} has an invalid value.` }
    passed.append(name, value)
  }
  const search = passed.toString()
  return { ok: true, search: search ? `?${search}` : '' }
}
