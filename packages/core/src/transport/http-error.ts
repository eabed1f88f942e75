// Error answers: a non-2xx response turned into a VoiceError. Loaded by `request()` on the first error
// answer (see http.ts), and by custom transports that decode errors themselves.
import { isVoiceErrorCode, VoiceError, type VoiceErrorCode } from '../errors'
import { VOICE_ERROR_HEADER } from '../providers/descriptor'
import { type ErrorDecoder, type ErrorInfo, str } from './decode'

/** The VoiceError code for an HTTP status when the body says nothing more precise. */
export function codeForStatus(status: number): VoiceErrorCode {
  if (status === 401 || status === 403) return 'unauthorized'
  if (status === 402) return 'payment_required'
  if (status === 404 || status === 405 || status === 501) return 'provider_misconfigured'
  if (status === 408) return 'timeout'
  if (status === 413) return 'audio_too_large'
  if (status === 415) return 'unsupported_audio_type'
  if (status === 429) return 'quota_exceeded'
  if (status >= 500) return 'provider_unavailable'
  return status >= 400 ? 'invalid_request' : 'bad_response'
}

/** Turns a non-2xx response into a VoiceError. Total: whatever the body, it returns. */
export async function httpError(provider: string, response: Response, decode: ErrorDecoder): Promise<VoiceError> {
  const { status } = response
  const text = await response.text().catch(() => '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {}
  let info: ErrorInfo = {}
  try {
    info = decode(status, body, text) ?? {}
  } catch {}
  const marked = response.headers.get(VOICE_ERROR_HEADER)?.trim()
  const fromProxy = isVoiceErrorCode(marked)
  const plain = body === undefined && !text.trimStart().startsWith('<') ? str(text)?.slice(0, 500) : undefined
  return new VoiceError(fromProxy ? marked : (info.code ?? codeForStatus(status)), info.message ?? plain, {
    status,
    provider,
    providerCode: fromProxy ? undefined : info.providerCode,
    retryable: fromProxy ? undefined : info.retryable,
  })
}
