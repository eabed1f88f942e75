// The proxy's own failures, answered in the provider's error shape (so a client that decodes that
// provider's errors understands them) and marked with `x-voicekit-error: <VoiceError code>`.
import { type ProviderDescriptor, VOICE_ERROR_HEADER } from '@voicekit/core/server'

/** The VoiceError codes the proxy itself produces (a subset of core's vocabulary). */
export type ProxyErrorCode =
  | 'audio_too_large'
  | 'invalid_request'
  | 'unauthorized'
  | 'provider_misconfigured'
  | 'provider_unavailable'
  | 'timeout'
  | 'aborted'

export interface ProxyError {
  status: number
  /** VoiceError code, sent in the `x-voicekit-error` header. */
  code: ProxyErrorCode
  /** The provider-style code put in the body where the provider's shape has one (Dify, OpenAI). */
  providerCode: string
  message: string
}

export function errorResponse(
  descriptor: ProviderDescriptor | undefined,
  error: ProxyError,
  headers?: Record<string, string>,
): Response {
  const body = descriptor
    ? descriptor.errorBody(error.status, error.message, error.providerCode)
    : // No provider to imitate (unknown provider): a neutral `{status, code, message}`.
      { status: error.status, code: error.providerCode, message: error.message }
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'content-type': 'application/json', [VOICE_ERROR_HEADER]: error.code, ...headers },
  })
}

export const notFound = (message = 'No such voice route.'): ProxyError => ({
  status: 404,
  code: 'invalid_request',
  providerCode: 'not_found',
  message,
})

export const badRequest = (message: string): ProxyError => ({
  status: 400,
  code: 'invalid_request',
  providerCode: 'invalid_param',
  message,
})

export const tooLarge = (limit: number): ProxyError => ({
  status: 413,
  code: 'audio_too_large',
  providerCode: 'audio_too_large',
  message: `Audio size exceeded: this server accepts at most ${limit} bytes per request.`,
})

export const timedOut = (timeoutMs: number): ProxyError => ({
  status: 504,
  code: 'timeout',
  providerCode: 'gateway_timeout',
  message: `The speech provider did not answer within ${timeoutMs} ms.`,
})

export const unreachable = (descriptor: ProviderDescriptor, detail: string): ProxyError => ({
  status: 502,
  code: 'provider_unavailable',
  providerCode: 'bad_gateway',
  message: `The ${descriptor.name} API could not be reached${detail ? ` (${detail})` : ''}.`,
})

/** The provider's own "not initialized"-style answer (from its descriptor), with the option to set. */
export function notConfigured(descriptor: ProviderDescriptor): ProxyError {
  const { id, env, notConfigured: answer } = descriptor
  const from = env ? ` (e.g. from ${env.apiKey})` : ''
  const hint = `set providers.${id}.apiKey${from} or providers.${id}.baseUrl in createVoiceProxy`
  if (answer) {
    return {
      status: answer.status,
      code: 'provider_misconfigured',
      providerCode: answer.providerCode,
      message: answer.message(hint),
    }
  }
  return {
    status: 503,
    code: 'provider_misconfigured',
    providerCode: 'provider_not_configured',
    message: `The ${descriptor.name} API is not configured on this server: ${hint}.`,
  }
}

export const forbiddenOrigin = (origin: string): ProxyError => ({
  status: 403,
  code: 'unauthorized',
  providerCode: 'forbidden',
  message: `The origin ${origin} may not use this voice proxy.`,
})

export const methodNotAllowed = (method: string): ProxyError => ({
  status: 405,
  code: 'invalid_request',
  providerCode: 'method_not_allowed',
  message: `Method ${method} is not allowed: voice routes accept POST (and OPTIONS for CORS).`,
})

export const userRefused = (): ProxyError => ({
  status: 401,
  code: 'unauthorized',
  providerCode: 'unauthorized',
  message: 'The server could not establish who the user is.',
})

export const clientAborted = (): ProxyError => ({
  status: 499,
  code: 'aborted',
  providerCode: 'client_closed_request',
  message: 'The client closed the request.',
})

export const serverMisconfigured = (message: string): ProxyError => ({
  status: 500,
  code: 'provider_misconfigured',
  providerCode: 'internal_server_error',
  message,
})

/** A real-time socket route asked for where this runtime cannot hold a socket, or without an upgrade. */
export const upgradeRequired = (message: string): ProxyError => ({
  status: 426,
  code: 'invalid_request',
  providerCode: 'upgrade_required',
  message,
})
