import { expect, test } from 'vitest'
import { createResampler } from './resampler'

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate))
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length)

function resampleInChunks(input: Float32Array, rate: number, chunk: number): Float32Array {
  const r = createResampler(rate)
  const parts: Float32Array[] = []
  for (let i = 0; i < input.length; i += chunk) parts.push(r.push(input.subarray(i, i + chunk)))
  parts.push(r.flush())
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

for (const rate of [48_000, 44_100, 22_050]) {
  test(`${rate} Hz → 16 kHz: one output sample per 1/16000 s, a 440 Hz tone kept, 7 kHz… removed`, () => {
    const out = resampleInChunks(tone(440, rate, 2), rate, 128)
    expect(Math.abs(out.length - 32_000)).toBeLessThanOrEqual(1)
    // The tone survives at its level and frequency: compare with a tone made at 16 kHz.
    const middle = out.subarray(1000, 31_000)
    expect(rms(middle)).toBeCloseTo(0.5 / Math.SQRT2, 2)
    const reference = tone(440, 16_000, 2).subarray(1000, 31_000)
    let error = 0
    for (let i = 0; i < middle.length; i++) error += (middle[i]! - reference[i]!) ** 2
    expect(Math.sqrt(error / middle.length)).toBeLessThan(0.01)
    if (rate > 16_000) {
      // Above the new Nyquist frequency: filtered out instead of folding back as an alias.
      const alias = resampleInChunks(tone(Math.min(12_000, rate / 2 - 1000), rate, 1), rate, 128)
      expect(rms(alias.subarray(500, -500))).toBeLessThan(0.02)
    }
  })
}

test('chunk boundaries leave no seam: any chunking gives the same samples', () => {
  const input = tone(300, 48_000, 1)
  const a = resampleInChunks(input, 48_000, 128)
  const b = resampleInChunks(input, 48_000, 4096)
  const c = resampleInChunks(input, 48_000, 7)
  expect(Array.from(b)).toEqual(Array.from(a))
  expect(Array.from(c)).toEqual(Array.from(a))
})

test('16 kHz in is passed through', () => {
  const r = createResampler(16_000)
  const input = tone(300, 16_000, 0.1)
  expect(Array.from(r.push(input))).toEqual(Array.from(input))
  expect(r.flush()).toHaveLength(0)
})
