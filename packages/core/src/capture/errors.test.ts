import { expect, test } from 'vitest'
import { VoiceError } from '../errors'
import { toCaptureError } from './errors'

test.each([
  ['NotAllowedError', 'permission_denied'],
  ['SecurityError', 'permission_denied'],
  ['NotFoundError', 'no_microphone'],
  ['OverconstrainedError', 'no_microphone'],
  ['NotReadableError', 'microphone_busy'],
  ['AbortError', 'microphone_busy'],
  ['NotSupportedError', 'not_supported'],
  ['SomethingNewError', 'microphone_busy'],
  ['toString', 'microphone_busy'],
])('DOMException %s → %s', (name, code) => {
  const cause = new DOMException('browser says no', name)
  const error = toCaptureError(cause)
  expect(error).toBeInstanceOf(VoiceError)
  expect(error.code).toBe(code)
  expect(error.cause).toBe(cause)
  expect(error.retryable).toBe(false)
})

test('a TypeError (getUserMedia missing, insecure context) → not_supported', () => {
  expect(toCaptureError(new TypeError('undefined is not a function')).code).toBe('not_supported')
})

test('a VoiceError passes through untouched; a non-error becomes microphone_busy', () => {
  const original = new VoiceError('not_supported')
  expect(toCaptureError(original)).toBe(original)
  expect(toCaptureError('weird').code).toBe('microphone_busy')
  expect(toCaptureError(null).code).toBe('microphone_busy')
})
