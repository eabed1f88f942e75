// The HTTP plumbing every built-in transport shares: one request helper with
// timeout and abort merging, error decoding, JSON and audio-stream readers.

import { isVoiceError, VoiceError } from '../errors'
import { normaliseAudioMime } from './audio-types'
import { type ErrorDecoder, isRecord } from './decode'
import { abortedError, badResponse, messageOf } from './errors'
import type { AudioStream, HttpTransportOptions } from './types'

export { abortedError, badResponse, messageOf, normaliseAudioMime }

export const DEFAULT_TIMEOUT_MS = 120_000

export interface RequestSpec<T> {
  provider: string
  options: HttpTransportOptions
  /** Appended to `options.baseUrl`. */
  path: string
  body: BodyInit
  /** Set after the user's headers (so a transport's Content-Type wins). */
  headers?: Record<string, string>
  signal?: AbortSignal | undefined
  decodeError: ErrorDecoder
  /** Reads a 2xx response; runs inside the timeout and abort scope. */
  read: (response: Response) => Promise<T>
}

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path
}

/**
 * POSTs once. Resolves with `read(response)` for a 2xx answer; otherwise rejects with a
 * VoiceError: the proxy's `x-voicekit-error` code, else the provider decoder's, else the
 * status's. Network failure → `network`, the caller's signal → `aborted`, `timeoutMs` → `timeout`.
 */
export async function request<T>(spec: RequestSpec<T>): Promise<T> {
  const { provider, options, signal } = spec
  if (signal?.aborted) throw abortedError(provider, signal.reason)
  const controller = new AbortController()
  const onAbort = () => controller.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort, { once: true })
  const ms = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  let timedOut = false
  const timer =
    ms > 0
      ? setTimeout(() => {
          timedOut = true
          controller.abort()
        }, ms)
      : undefined
  try {
    const given = typeof options.headers === 'function' ? await options.headers() : options.headers
    const headers = new Headers(given)
    if (spec.body instanceof FormData) headers.delete('content-type')
    for (const [name, value] of Object.entries(spec.headers ?? {})) headers.set(name, value)
    const fetcher = options.fetch ?? fetch
    const response = await fetcher(joinUrl(options.baseUrl, spec.path), {
      method: 'POST',
      headers,
      body: spec.body,
      signal: controller.signal,
    })
    if (!response.ok) throw await errorOf(provider, response, spec.decodeError)
    return await spec.read(response)
  } catch (error) {
    if (timedOut) throw new VoiceError('timeout', `${provider} did not answer within ${ms} ms`, { provider })
    if (signal?.aborted) throw abortedError(provider, signal.reason)
    if (isVoiceError(error)) throw error
    throw new VoiceError('network', `Could not reach ${provider}: ${messageOf(error)}`, { provider, cause: error })
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * The VoiceError for a non-2xx answer. Its decoder loads on the first error answer: an app whose requests
 * succeed never downloads it, and an answer means the app's server is there to serve it. A decoder that
 * fails to load (the connection just went, a deploy replaced it) is a network failure like any other.
 */
async function errorOf(provider: string, response: Response, decode: ErrorDecoder): Promise<VoiceError> {
  const decoder = await import('./http-error').catch((cause: unknown) => {
    throw new VoiceError('network', `The ${provider} error could not be read`, {
      provider,
      cause,
      status: response.status,
    })
  })
  return decoder.httpError(provider, response, decode)
}

/** Reads a 2xx body as JSON; empty or unparsable → `bad_response`. */
export async function readJson(response: Response, provider: string): Promise<unknown> {
  const text = await response.text()
  if (!text.trim()) throw badResponse(provider, `${provider} answered with an empty body`, response.status)
  try {
    return JSON.parse(text)
  } catch (error) {
    throw badResponse(provider, `${provider} answered with a body that is not JSON`, response.status, error)
  }
}

/**
 * A `read` for `request()` that hands over a 2xx audio response as a stream (see `readAudioStream`).
 * The reader is loaded on first use, so an app that only transcribes never downloads it; the import
 * starts here, with the request, and is ready long before the provider's first audio byte.
 */
export function audioStreamReader(
  provider: string,
  fallbackMime: string,
  signal: AbortSignal | undefined,
): (response: Response) => Promise<AudioStream> {
  const reader = import('./audio-stream').catch((cause: unknown) => {
    // A chunk that fails to load (offline, a deploy that replaced it) is a network failure like any other.
    throw new VoiceError('network', `The ${provider} audio reader could not be loaded`, { provider, cause })
  })
  reader.catch(() => {}) // a request that fails first never reads: its failed import is not an error of its own
  return async (response) => (await reader).readAudioStream(response, provider, fallbackMime, signal)
}

/** `{text}` objects only; anything else is `bad_response`. */
export function expectRecord(value: unknown, provider: string, status?: number): Record<string, unknown> {
  if (!isRecord(value)) throw badResponse(provider, `${provider} answered with an unexpected body`, status)
  return value
}
