// Audio the voice-activity segmenter takes for speech, without a recording: bursts of voiced buzz.
const RATE = 16_000

/**
 * 16 kHz samples: `leadSeconds` of silence (default 0.5), then `count` bursts of 1 s of buzz, each
 * followed by 1 s of silence (so `count` segments).
 */
export function speechBursts(count: number, { leadSeconds = 0.5 } = {}): Float32Array {
  const lead = Math.round(leadSeconds * RATE)
  const out = new Float32Array(lead + count * 2 * RATE)
  for (let b = 0; b < count; b++) {
    const from = lead + b * 2 * RATE
    for (let i = 0; i < RATE; i++) {
      out[from + i] =
        0.3 * Math.max(0, Math.sin((Math.PI * 8 * i) / RATE)) ** 2 * Math.sin((2 * Math.PI * 200 * i) / RATE)
    }
  }
  return out
}
