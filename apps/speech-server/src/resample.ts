// Sample-rate conversion by windowed-sinc interpolation (band-limited: no aliasing when going down, no images when
// going up). The kernel is tabulated per phase when the rate ratio is a small fraction (16k→48k, 48k→16k, 44.1k→16k).

const ZERO_CROSSINGS = 16

interface Design {
  up: number
  down: number
  /** Input samples each side of an output sample's position that it reads. */
  taps: number
  /** The weight of input sample `base + j` for an output whose position is `phase / up` past `base`. */
  weight(phase: number, j: number): number
}

function design(from: number, to: number): Design {
  const divisor = gcd(from, to)
  const up = to / divisor
  const down = from / divisor
  const cutoff = Math.min(1, to / from) * 0.95
  const halfWidth = ZERO_CROSSINGS / cutoff
  const taps = Math.ceil(halfWidth)
  const kernel = (d: number) => {
    if (Math.abs(d) >= halfWidth) return 0
    const x = Math.PI * cutoff * d
    const sinc = x === 0 ? 1 : Math.sin(x) / x
    const w = d / halfWidth
    return cutoff * sinc * (0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w))
  }
  const table = up <= 1000 ? tabulate(up, taps, kernel) : undefined
  return {
    up,
    down,
    taps,
    weight: table ? (phase, j) => table[phase * 2 * taps + (j + taps - 1)]! : (phase, j) => kernel(phase / up - j),
  }
}

export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input.slice()
  const { up, down, taps, weight } = design(from, to)
  const outLength = Math.floor((input.length * up) / down)
  const out = new Float32Array(outLength)
  for (let n = 0; n < outLength; n++) {
    const position = n * down
    const base = Math.floor(position / up)
    const phase = position - base * up
    let sum = 0
    for (let j = -taps + 1; j <= taps; j++) {
      const i = base + j
      if (i < 0 || i >= input.length) continue
      sum += input[i]! * weight(phase, j)
    }
    out[n] = sum
  }
  return out
}

/**
 * The same conversion on 16-bit PCM that arrives in pieces: each piece's output continues the previous one's exactly
 * (as if the whole stream had been converted at once), `taps` input samples behind (about a millisecond).
 */
export class StreamResampler {
  private readonly design: Design | undefined
  /** Input not yet consumed, starting at absolute input index `start`. */
  private pending = new Float32Array(0)
  private start = 0
  private received = 0
  /** The next output sample's index. */
  private next = 0

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    this.design = from === to ? undefined : design(from, to)
  }

  push(pcm: Int16Array): Int16Array {
    if (!this.design) return pcm.slice()
    const joined = new Float32Array(this.pending.length + pcm.length)
    joined.set(this.pending)
    for (let i = 0; i < pcm.length; i++) joined[this.pending.length + i] = pcm[i]! / 32768
    this.pending = joined
    this.received += pcm.length
    return this.produce(false)
  }

  /** The rest of the output, as if the stream ended in silence; the resampler starts afresh afterwards. */
  flush(): Int16Array {
    if (!this.design) return new Int16Array(0)
    const out = this.produce(true)
    this.pending = new Float32Array(0)
    this.start = 0
    this.received = 0
    this.next = 0
    return out
  }

  private produce(final: boolean): Int16Array {
    const { up, down, taps, weight } = this.design!
    // Output n reads input up to floor(n·down/up) + taps; at the end, every output whose position is inside the input.
    const last = final ? Math.floor((this.received * up) / down) : Math.ceil(((this.received - taps) * up) / down)
    const count = Math.max(0, last - this.next)
    const out = new Int16Array(count)
    for (let k = 0; k < count; k++) {
      const n = this.next + k
      const position = n * down
      const base = Math.floor(position / up)
      const phase = position - base * up
      let sum = 0
      for (let j = -taps + 1; j <= taps; j++) {
        const i = base + j - this.start
        if (i < 0 || i >= this.pending.length) continue
        sum += this.pending[i]! * weight(phase, j)
      }
      out[k] = Math.max(-32768, Math.min(32767, Math.round(sum * 32768)))
    }
    this.next += count
    // Keep what the next output still reads.
    const keepFrom = Math.max(this.start, Math.floor((this.next * down) / up) - taps + 1)
    if (keepFrom > this.start) {
      this.pending = this.pending.slice(keepFrom - this.start)
      this.start = keepFrom
    }
    return out
  }
}

function tabulate(up: number, taps: number, kernel: (d: number) => number): Float32Array {
  const table = new Float32Array(up * 2 * taps)
  for (let phase = 0; phase < up; phase++) {
    const frac = phase / up
    for (let j = -taps + 1; j <= taps; j++) table[phase * 2 * taps + (j + taps - 1)] = kernel(frac - j)
  }
  return table
}

function gcd(a: number, b: number): number {
  let x = Math.round(a)
  let y = Math.round(b)
  while (y) [x, y] = [y, x % y]
  return x
}
