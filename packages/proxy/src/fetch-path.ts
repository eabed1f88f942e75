// Runs an upstream plan with the runtime's fetch and web streams: Workers, Next.js, Deno, and Node when
// the app gives its own fetch. One abort controller stops the upstream request, whoever fails first:
// the client going away, the upload limit, the idle timer.
import { rewriteJson } from './end-user'
import { badRequest, clientAborted, type ProxyError, timedOut, tooLarge, unreachable } from './errors'
import { copyResponseHeaders } from './headers'
import { type MalformedMultipartError, rewriteMultipartField } from './multipart'
import type { UpstreamPlan } from './plan'
import { idleTimer, limitUpload, readAll, relay } from './streams'

export type UpstreamFetch = (input: string, init: RequestInit) => Promise<Response>

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

export const isRedirect = (status: number) => status >= 300 && status < 400 && status !== 304
/** A status the proxy passes on; anything else (1xx, nonsense) becomes 502. */
export const passedStatus = (status: number) => (status >= 200 && status <= 599 ? status : 502)
export const bodiless = (status: number) => status === 204 || status === 205 || status === 304

/** Why a fetch failed, in a word (ECONNREFUSED...), for the 502 message. */
export function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  if (typeof (error as { code?: unknown } | undefined)?.code === 'string') return (error as { code: string }).code
  return error instanceof Error ? error.message : ''
}

/** The shared run state of one forwarded request: who failed first, the abort, the idle timer. */
interface Run {
  readonly signal: AbortSignal
  readonly touch: () => void
  stop(error: ProxyError): void
  failure(): ProxyError | undefined
  cleanup(): void
}

function startRun(request: Request, plan: UpstreamPlan): Run {
  const abort = new AbortController()
  let failure: ProxyError | undefined
  const stop = (error: ProxyError) => {
    failure ??= error
    abort.abort(new Error(error.message))
  }
  const onClientAbort = () => stop(clientAborted())
  request.signal.addEventListener('abort', onClientAbort, { once: true })
  const timer = idleTimer(plan.timeoutMs, () => stop(timedOut(plan.timeoutMs)))
  timer.touch()
  return {
    signal: abort.signal,
    touch: timer.touch,
    stop,
    failure: () => failure,
    cleanup() {
      timer.clear()
      request.signal.removeEventListener('abort', onClientAbort)
    },
  }
}

type Body = { body: ReadableStream<Uint8Array> | string | null; abandon: () => void } | { refused: ProxyError }

/** The request body as it goes upstream: capped, and rewritten when the plan says so. */
async function upstreamBody(request: Request, plan: UpstreamPlan, run: Run, headers: Headers): Promise<Body> {
  if (!request.body) return { body: null, abandon: () => {} }
  const { limit, rewrite, length } = plan
  const upload = limitUpload(request.body, limit, run.touch, () => run.stop(tooLarge(limit)))
  const limited = upload.stream
  if (rewrite?.kind === 'json') {
    let text: string
    try {
      text = await readAll(limited)
    } catch {
      return { refused: run.failure() ?? badRequest('The JSON body could not be read.') }
    }
    const rewritten = rewriteJson(text, rewrite.field, rewrite.value)
    if (typeof rewritten !== 'string') return { refused: rewritten }
    headers.set('content-type', 'application/json')
    return { body: rewritten, abandon: upload.abandon }
  }
  if (rewrite?.kind === 'multipart') {
    const onMalformed = (error: MalformedMultipartError) => run.stop(badRequest(error.message))
    const body = limited.pipeThrough(rewriteMultipartField(rewrite.boundary, rewrite.field, rewrite.value, onMalformed))
    return { body, abandon: upload.abandon }
  }
  if (length === undefined) return { body: limited, abandon: upload.abandon }
  // Workers send a JS stream chunked unless it is a FixedLengthStream; Node's fetch honours the header.
  const Fixed = (globalThis as { FixedLengthStream?: FixedLengthStreamClass }).FixedLengthStream
  if (Fixed) return { body: limited.pipeThrough(new Fixed(length)), abandon: upload.abandon }
  headers.set('content-length', String(length))
  return { body: limited, abandon: upload.abandon }
}

export function createFetchPath(
  fetchUpstream: UpstreamFetch,
  fail: (plan: UpstreamPlan, error: ProxyError) => Response,
): (request: Request, plan: UpstreamPlan) => Promise<Response> {
  const redirect = noRedirects()

  return async (request, plan) => {
    const run = startRun(request, plan)
    const headers = new Headers(plan.headers)
    const prepared = await upstreamBody(request, plan, run, headers)
    if ('refused' in prepared) {
      run.cleanup()
      return fail(plan, prepared.refused)
    }
    const abandon = () => {
      run.cleanup()
      prepared.abandon()
    }

    let response: Response
    try {
      response = await fetchUpstream(plan.url, {
        method: 'POST',
        headers,
        body: prepared.body,
        signal: run.signal,
        redirect,
        // Node's fetch streams a request body only in half-duplex mode.
        duplex: 'half',
      } as RequestInit)
    } catch (error) {
      abandon()
      return fail(plan, run.failure() ?? unreachable(plan.descriptor, describe(error)))
    }
    run.touch()
    if (isRedirect(response.status)) {
      abandon()
      await response.body?.cancel().catch(() => {})
      return fail(plan, unreachable(plan.descriptor, `it answered with a redirect, ${response.status}`))
    }

    const out = new Headers(plan.cors)
    copyResponseHeaders(response.headers, out)
    const status = passedStatus(response.status)
    if (!response.body || bodiless(status)) {
      run.cleanup()
      await response.body?.cancel().catch(() => {})
      return new Response(null, { status, headers: out })
    }
    const body = relay(
      response.body,
      {
        onChunk: run.touch,
        onDone: run.cleanup,
        onCancel: () => {
          run.stop(clientAborted())
          run.cleanup()
        },
      },
      run.signal,
    )
    return new Response(body, { status, headers: out })
  }
}
