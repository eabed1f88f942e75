// The shared streaming plumbing on its own: close codes in the error vocabulary, socket URLs, PCM frames.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { isVoiceError } from '../errors'
import { createPcmFramer, toBase64 } from './streaming-pcm'
import { closeError, socketUrl } from './streaming-socket'
import { decodePcm16 } from './streaming-test-server'

describe('closeError', () => {
  test.each([
    [1001, '', 'provider_unavailable', true],
    [1002, '', 'invalid_request', false],
    [1003, '', 'invalid_request', false],
    [1005, '', 'network', true],
    [1006, '', 'network', true],
    [1007, '', 'invalid_request', false],
    [1008, '', 'invalid_request', false],
    [1008, 'Invalid API key', 'unauthorized', false],
    [1008, 'Quota exceeded', 'quota_exceeded', false],
    [1009, 'Message too big', 'audio_too_large', false],
    [1011, 'Internal error', 'provider_unavailable', true],
    [1012, '', 'provider_unavailable', true],
    [1013, 'Try again later', 'provider_unavailable', true],
    [1014, '', 'provider_unavailable', true],
    [3000, '', 'unauthorized', false],
    [3008, '', 'timeout', true],
    [4000, 'Something', 'provider_error', false],
    [4001, 'Not authorized', 'unauthorized', false],
    [4401, '', 'unauthorized', false],
    [4403, '', 'unauthorized', false],
    [4404, '', 'provider_misconfigured', false],
    [4408, 'idle', 'timeout', true],
    [4410, '', 'timeout', true],
    [4413, '', 'audio_too_large', false],
    [4429, '', 'quota_exceeded', true],
    [4502, 'The provider could not be reached', 'provider_unavailable', true],
    [4503, '', 'provider_unavailable', true],
    [4504, '', 'timeout', true],
  ] as const)('%i %j → %s (retryable %s)', (code, reason, expected, retryable) => {
    const error = closeError('openai', code, reason)
    expect(isVoiceError(error)).toBe(true)
    expect(error).toMatchObject({ code: expected, retryable, provider: 'openai', providerCode: String(code) })
    expect(error?.message).toBe(reason || `The openai connection closed (${code})`)
  })

  test('1000 is clean', () => {
    expect(closeError('openai', 1000, 'done')).toBeUndefined()
  })
})

describe('socketUrl', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  test('http(s) become ws(s); ws(s) stay; other schemes and relative URLs outside a page are refused', () => {
    expect(socketUrl('http://a.test/x?y=1', 'p').href).toBe('ws://a.test/x?y=1')
    expect(socketUrl('https://a.test/x', 'p').href).toBe('wss://a.test/x')
    expect(socketUrl('wss://a.test/x', 'p').href).toBe('wss://a.test/x')
    expect(() => socketUrl('/x', 'p')).toThrow(expect.objectContaining({ code: 'invalid_request' }))
    expect(() => socketUrl('ftp://a.test/x', 'p')).toThrow(expect.objectContaining({ code: 'invalid_request' }))
  })

  test("a relative URL resolves on the page's origin", () => {
    vi.stubGlobal('location', new URL('https://app.test/dictate/page?q=1'))
    expect(socketUrl('/api/voice/openai/realtime', 'p').href).toBe('wss://app.test/api/voice/openai/realtime')
  })
})

describe('PCM frames', () => {
  test('PCM16 little-endian, clamped, rounded; frames across chunks; flush gives the partial one', () => {
    const framer = createPcmFramer(16_000, 4)
    expect(framer.push(new Float32Array([-1, -0.5, 0]))).toEqual([])
    const [frame] = framer.push(new Float32Array([0.5, 1, 2, Number.NaN]))
    expect([...new Int16Array(Uint8Array.from(Buffer.from(frame!, 'base64')).buffer)]).toEqual([
      -32768, -16384, 0, 16384,
    ])
    expect(Buffer.from(frame!, 'base64')).toEqual(Buffer.from([0x00, 0x80, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x40]))
    const [partial] = framer.flush()
    expect([...decodePcm16(partial!)].map((s) => Math.round(s * 0x8000))).toEqual([32767, 32767, 0])
    expect(framer.flush()).toEqual([])
    expect(framer.total).toBe(7)
  })

  test('resampled to 24 kHz with the state carried: chunk sizes do not change the output', () => {
    const input = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i / 7))
    const run = (chunk: number) => {
      const framer = createPcmFramer(24_000, 240)
      const frames: string[] = []
      for (let i = 0; i < input.length; i += chunk) frames.push(...framer.push(input.subarray(i, i + chunk)))
      frames.push(...framer.end())
      return frames.join('|')
    }
    const whole = run(1600)
    expect(run(1)).toBe(whole)
    expect(run(333)).toBe(whole)
    const samples = whole.split('|').reduce((sum, frame) => sum + decodePcm16(frame).length, 0)
    expect(samples).toBe(2400)
  })

  test('toBase64 matches Node for large buffers', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff)
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
  })
})
