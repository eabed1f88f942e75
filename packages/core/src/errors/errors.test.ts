import { describe, expect, test } from 'vitest'
import { isVoiceError, isVoiceErrorCode, VOICE_ERROR_CODES, VoiceError, type VoiceErrorCode } from '.'

describe('VoiceError', () => {
  test('carries code, status, provider, providerCode, message and cause', () => {
    const cause = new Error('root')
    const error = new VoiceError('quota_exceeded', 'Quota gone', {
      status: 400,
      provider: 'dify',
      providerCode: 'provider_quota_exceeded',
      cause,
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('VoiceError')
    expect(error).toMatchObject({
      code: 'quota_exceeded',
      status: 400,
      provider: 'dify',
      providerCode: 'provider_quota_exceeded',
      message: 'Quota gone',
      retryable: false,
    })
    expect(error.cause).toBe(cause)
  })

  test('without a message, the code reads as one', () => {
    expect(new VoiceError('no_microphone').message).toBe('no microphone')
  })

  test.each([
    ['network', undefined, true],
    ['timeout', undefined, true],
    ['provider_unavailable', 500, true],
    ['provider_unavailable', 503, true],
    ['provider_error', 500, true],
    ['quota_exceeded', 429, true],
    ['quota_exceeded', 400, false],
    ['provider_misconfigured', 500, false],
    ['unauthorized', 401, false],
    ['invalid_request', 400, false],
    ['aborted', undefined, false],
    ['bad_response', 200, false],
    ['audio_too_large', 413, false],
    ['permission_denied', undefined, false],
  ] as const)('%s (status %s) retryable → %s', (code, status, retryable) => {
    expect(new VoiceError(code, 'x', { status }).retryable).toBe(retryable)
  })

  test('retryable can be overridden', () => {
    expect(new VoiceError('quota_exceeded', 'x', { status: 429, retryable: false }).retryable).toBe(false)
  })
})

test('the code list is the whole vocabulary of docs/errors.md, once each', () => {
  const expected: VoiceErrorCode[] = [
    'permission_denied',
    'no_microphone',
    'microphone_busy',
    'not_supported',
    'no_audio',
    'recording_too_short',
    'audio_too_large',
    'unsupported_audio_type',
    'unauthorized',
    'payment_required',
    'quota_exceeded',
    'provider_misconfigured',
    'provider_unavailable',
    'invalid_request',
    'provider_error',
    'network',
    'timeout',
    'aborted',
    'bad_response',
    'playback_blocked',
    'playback_failed',
    'unsupported_playback',
  ]
  expect([...VOICE_ERROR_CODES].sort()).toEqual([...expected].sort())
})

test('isVoiceErrorCode', () => {
  expect(isVoiceErrorCode('timeout')).toBe(true)
  expect(isVoiceErrorCode('toString')).toBe(false)
  expect(isVoiceErrorCode(42)).toBe(false)
})

test('isVoiceError recognises its own and a look-alike from another copy, nothing else', () => {
  expect(isVoiceError(new VoiceError('network'))).toBe(true)
  const foreign = Object.assign(new Error('x'), { name: 'VoiceError', code: 'network' })
  expect(isVoiceError(foreign)).toBe(true)
  expect(isVoiceError(new Error('x'))).toBe(false)
  expect(isVoiceError({ name: 'VoiceError', code: 'network' })).toBe(false)
  expect(isVoiceError(null)).toBe(false)
})
