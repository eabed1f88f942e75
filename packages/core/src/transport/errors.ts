// The VoiceErrors the HTTP plumbing and the audio-stream reader both raise: a module of its own, so
// that neither imports the other.
import { VoiceError } from '../errors'

export function abortedError(provider: string, reason: unknown): VoiceError {
  return new VoiceError('aborted', 'The request was aborted', { provider, cause: reason })
}

export function badResponse(provider: string, message: string, status?: number, cause?: unknown): VoiceError {
  return new VoiceError('bad_response', message, { provider, status, cause })
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : ''
    return error.message + cause
  }
  return String(error)
}
