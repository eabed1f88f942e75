import { describe, expect, test } from 'vitest'
import { createPauseFinder, PAUSE, QUIET } from './pauses'

const RATE = 1000 // samples per second: 1 sample = 1 ms
/** A buffer of `spec` segments: [milliseconds, level]. */
function audio(...spec: [number, number][]): Float32Array {
  const out: number[] = []
  for (const [ms, level] of spec) for (let i = 0; i < ms; i++) out.push(i % 2 ? level : -level)
  return new Float32Array(out)
}
const loud = 0.3
const hush = QUIET / 2
const needed = PAUSE * RATE

describe('createPauseFinder', () => {
  test('a pause is found where the audio has been quiet for PAUSE after a sound', () => {
    const find = createPauseFinder()
    expect(find([audio([100, loud], [200, hush], [100, loud])], 0, RATE)).toBe(100 + needed)
  })

  test('leading silence is no pause, nor is a quiet stretch shorter than PAUSE', () => {
    const find = createPauseFinder()
    expect(find([audio([300, hush], [100, loud], [needed - 1, hush], [100, loud])], 0, RATE)).toBeUndefined()
  })

  test('audio just above QUIET counts as sound', () => {
    const find = createPauseFinder()
    expect(find([audio([100, loud], [200, QUIET * 1.01], [100, loud])], 0, RATE)).toBeUndefined()
  })

  test('a pause that begins in one buffer is found in the next, once per pause', () => {
    const find = createPauseFinder()
    expect(find([audio([100, loud], [20, hush])], 0, RATE)).toBeUndefined()
    expect(find([audio([100, hush])], 0, RATE)).toBe(needed - 20)
    // The same pause goes on: not found again; the next one is.
    expect(find([audio([100, hush], [50, loud], [100, hush])], 0, RATE)).toBe(100 + 50 + needed)
  })

  test('only the samples from `from` are new: the ones before are not scanned again', () => {
    const find = createPauseFinder()
    const buffer = audio([100, loud], [200, hush])
    expect(find([buffer], 300, RATE)).toBeUndefined()
  })

  test('any loud channel is sound', () => {
    const find = createPauseFinder()
    const left = audio([100, loud], [200, hush])
    const right = audio([100, loud], [100, hush], [100, loud])
    expect(find([left, right], 0, RATE)).toBe(100 + needed)
    expect(createPauseFinder()([right.map(() => 0), left], 0, RATE)).toBe(100 + needed)
  })
})
