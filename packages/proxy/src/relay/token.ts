// Runs a token plan (plan.ts decided it): one small POST whose body the server wrote, with the key, and
// the provider's answer — a short-lived credential, or its error in its own shape — passed back with
// `cache-control: no-store`. Nothing here logs, keeps or caches the answer.
import { clientAborted, errorResponse, type ProxyError, timedOut, unreachable } from '../errors'
import { bodiless, describe, isRedirect, passedStatus } from '../fetch-path'
import { copyResponseHeaders } from '../headers'
import type { TokenPlan } from '../plan'

export type TokenFetch = (input: string, init: RequestInit) => Promise<Response>

/** A token answer is a few hundred bytes: anything much larger is not one. */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024

async function readCapped(body: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array | 'too large'> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    length += value.byteLength
    if (length > cap) {
      await reader.cancel().catch(() => {})
      return 'too large'
    }
    chunks.push(value)
  }
  const out = new Uint8Array(length)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

export async function exchangeToken(
  plan: TokenPlan,
  fetchUpstream: TokenFetch,
  signal: AbortSignal,
): Promise<Response> {
  const abort = new AbortController()
  let failure: ProxyError | undefined
  const stop = (error: ProxyError) => {
    failure ??= error
    abort.abort(new Error(error.message))
  }
  const fail = (error: ProxyError) => errorResponse(plan.descriptor, failure ?? error, { ...plan.headersOut })
  const timer = setTimeout(() => stop(timedOut(plan.timeoutMs)), plan.timeoutMs)
  const onClientAbort = () => stop(clientAborted())
  signal.addEventListener('abort', onClientAbort, { once: true })
  try {
    let response: Response
    try {
      response = await fetchUpstream(plan.url, {
        method: 'POST',
        headers: plan.headers,
        // An empty POST carries no content-type (a string body would say text/plain).
        body: plan.body ?? new Uint8Array(0),
        signal: abort.signal,
        // Never followed: a 3xx is refused below, on every runtime.
        redirect: 'manual',
      })
    } catch (error) {
      return fail(unreachable(plan.descriptor, describe(error)))
    }
    if (isRedirect(response.status)) {
      await response.body?.cancel().catch(() => {})
      return fail(unreachable(plan.descriptor, `it answered with a redirect, ${response.status}`))
    }
    const status = passedStatus(response.status)
    let body: Uint8Array | 'too large' | null = null
    if (response.body && !bodiless(status)) {
      try {
        body = await readCapped(response.body, MAX_TOKEN_ANSWER_BYTES)
      } catch {
        return fail(unreachable(plan.descriptor, 'its answer was cut off'))
      }
      if (body === 'too large') return fail(unreachable(plan.descriptor, 'its answer was not a token'))
    }
    const headers = new Headers()
    copyResponseHeaders(response.headers, headers)
    headers.delete('content-length')
    for (const [name, value] of Object.entries(plan.headersOut)) headers.set(name, value)
    return new Response(body as Uint8Array<ArrayBuffer> | null, { status, headers })
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', onClientAbort)
  }
}
