// Browser capture failures → the VoiceError vocabulary, in one table.
import { isVoiceError, VoiceError, type VoiceErrorCode } from '../errors'
import { lookup } from '../transport/decode'

/** DOMException names that getUserMedia and MediaRecorder throw, and what each means. */
export const CAPTURE_ERROR_CODES: Readonly<Record<string, VoiceErrorCode>> = {
  NotAllowedError: 'permission_denied',
  SecurityError: 'permission_denied',
  NotFoundError: 'no_microphone',
  OverconstrainedError: 'no_microphone',
  NotReadableError: 'microphone_busy',
  AbortError: 'microphone_busy',
  NotSupportedError: 'not_supported',
  // getUserMedia missing or called outside a secure context.
  TypeError: 'not_supported',
}

/** Any error from opening or recording the microphone, as a VoiceError (unknown causes read as `microphone_busy`). */
export function toCaptureError(error: unknown): VoiceError {
  if (isVoiceError(error)) return error
  const name = (error as { name?: unknown } | null)?.name
  const code = lookup(CAPTURE_ERROR_CODES, typeof name === 'string' ? name : undefined) ?? 'microphone_busy'
  return new VoiceError(code, undefined, { cause: error })
}
