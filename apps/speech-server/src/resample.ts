// Sample-rate conversion by windowed-sinc interpolation (band-limited: no aliasing when going down, no images when
// going up). The kernel is tabulated per phase when the rate ratio is a small fraction (16k→48k, 48k→16k, 44.1k→16k).

const ZERO_CROSSINGS = 16

export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input.slice()
  const divisor = gcd(from, to)
  const up = to / divisor
  const down = from / divisor
  const cutoff = Math.min(1, to / from) * 0.95
  const halfWidth = ZERO_CROSSINGS / cutoff
  const taps = Math.ceil(halfWidth)
  const outLength = Math.floor((input.length * up) / down)
  const out = new Float32Array(outLength)
  const kernel = (d: number) => {
    if (Math.abs(d) >= halfWidth) return 0
    const x = Math.PI * cutoff * d
    const sinc = x === 0 ? 1 : Math.sin(x) / x
    const w = d / halfWidth
    return cutoff * sinc * (0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w))
  }
  const table = up <= 1000 ? tabulate(up, taps, kernel) : undefined
  for (let n = 0; n < outLength; n++) {
    const position = n * down
    const base = Math.floor(position / up)
    const phase = position - base * up
    const frac = phase / up
    let sum = 0
    for (let j = -taps + 1; j <= taps; j++) {
      const i = base + j
      if (i < 0 || i >= input.length) continue
      const weight = table ? table[phase * 2 * taps + (j + taps - 1)]! : kernel(frac - j)
      sum += input[i]! * weight
    }
    out[n] = sum
  }
  return out
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
