// Streaming resampler to 16 kHz: a windowed-sinc low-pass evaluated at each output instant, with
// the input's tail carried between chunks so chunk boundaries leave no seam. A pure module.

export const PCM_RATE = 16_000

/** Half the kernel width, in output samples: 16 → 32 taps at the output rate. */
const HALF_TAPS = 16

export interface Resampler {
  /** Resamples the next chunk; returns the output samples it completes (possibly none). */
  push(chunk: Float32Array): Float32Array
  /** The samples still held back by the kernel's look-ahead, zero-padded; call once at the end. */
  flush(): Float32Array
}

const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x))

export function createResampler(inputRate: number, outputRate = PCM_RATE): Resampler {
  if (inputRate === outputRate) return { push: (chunk) => chunk.slice(), flush: () => new Float32Array(0) }
  const step = inputRate / outputRate
  // Low-pass at the lower of the two Nyquist frequencies, a little under it.
  const cutoff = Math.min(1, outputRate / inputRate) * 0.92
  const half = Math.ceil(HALF_TAPS * Math.max(1, step))
  // The kernel, tabulated at 1/RES of an input sample (nearest entry: error far below 16-bit).
  const RES = 512
  const table = new Float32Array((half + 1) * RES + 1)
  for (let i = 0; i < table.length; i++) {
    const x = i / RES
    table[i] = cutoff * sinc(cutoff * x) * (0.5 + 0.5 * Math.cos((Math.PI * x) / (half + 1))) // Hann
  }
  let history = new Float32Array(half) // input samples still needed, from input index `base`
  let base = -half // the first buffered sample's index (negative: implicit leading zeros)
  let next = 0 // the next output sample's index

  const run = (until: number): Float32Array => {
    const out: number[] = []
    for (;;) {
      const t = next * step
      const last = Math.floor(t) + half
      if (last >= until) break
      let sum = 0
      let norm = 0
      for (let k = Math.floor(t) - half + 1; k <= last; k++) {
        const h = table[Math.round(Math.abs(t - k) * RES)] ?? 0
        sum += (history[k - base] ?? 0) * h
        norm += h
      }
      out.push(norm ? sum / norm : 0)
      next++
    }
    // Drop input no longer needed by any future output sample.
    const keepFrom = Math.floor(next * step) - half + 1
    if (keepFrom > base) {
      history = history.slice(Math.min(history.length, keepFrom - base))
      base = keepFrom
    }
    return Float32Array.from(out)
  }

  return {
    push(chunk) {
      const joined = new Float32Array(history.length + chunk.length)
      joined.set(history)
      joined.set(chunk, history.length)
      history = joined
      return run(base + history.length)
    },
    flush() {
      const padded = new Float32Array(history.length + half + 1)
      padded.set(history)
      const end = base + history.length
      history = padded
      const out = run(base + history.length)
      // Only the outputs that fall inside the real input.
      const keep = Math.max(0, out.length - Math.max(0, Math.ceil((next * step - end) / step)))
      return out.slice(0, keep)
    },
  }
}
