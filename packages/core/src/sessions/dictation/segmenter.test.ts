// The segmenter on synthetic audio (bursts, noise, long speech) and on the long fixture.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { type AudioSegment, createSegmenter, type SegmenterOptions } from './segmenter'

const RATE = 16_000
const s = (seconds: number) => Math.round(seconds * RATE)

/** A deterministic pseudo-random source (xorshift), −1…1. */
function noise(seed = 7) {
  let x = seed
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return ((x >>> 0) / 2 ** 32) * 2 - 1
  }
}

/** Speech-like bursts: a 200 Hz buzz with a 4 Hz syllable envelope, at `amp`, over a noise bed at `bed`. */
function compose(parts: { speech: boolean; seconds: number }[], amp = 0.3, bed = 0.001) {
  const total = parts.reduce((n, p) => n + s(p.seconds), 0)
  const out = new Float32Array(total)
  const rnd = noise()
  const spans: [number, number][] = []
  let at = 0
  for (const part of parts) {
    const n = s(part.seconds)
    for (let i = 0; i < n; i++) {
      const t = i / RATE
      // Syllables at 4 Hz, with the near-silent gaps between them that real speech has.
      const envelope = part.speech ? Math.max(0, Math.sin(Math.PI * 8 * t)) ** 2 : 0
      out[at + i] = bed * rnd() + amp * envelope * Math.sin(2 * Math.PI * 200 * t)
    }
    if (part.speech) spans.push([at, at + n])
    at += n
  }
  return { samples: out, spans }
}

function segment(samples: Float32Array, options: SegmenterOptions = {}, chunk = 1365): AudioSegment[] {
  const segmenter = createSegmenter(options)
  const out: AudioSegment[] = []
  for (let i = 0; i < samples.length; i += chunk) out.push(...segmenter.push(samples.subarray(i, i + chunk)))
  out.push(...segmenter.flush())
  return out
}

const covers = (segment: AudioSegment, [from, to]: [number, number]) =>
  segment.start <= from && segment.start + segment.samples.length >= to

describe('pauses', () => {
  test('one segment per burst, each burst whole with pre- and post-roll, in order, the audio itself', () => {
    const { samples, spans } = compose([
      { speech: false, seconds: 1 },
      { speech: true, seconds: 2 },
      { speech: false, seconds: 1.2 },
      { speech: true, seconds: 3.1 },
      { speech: false, seconds: 1 },
      { speech: true, seconds: 1.5 },
      { speech: false, seconds: 0.8 },
    ])
    const segments = segment(samples)
    expect(segments.map((x) => x.index)).toEqual([0, 1, 2])
    expect(segments.map((x) => x.cut)).toEqual(['pause', 'pause', 'pause'])
    for (const [i, span] of spans.entries()) {
      const seg = segments[i]!
      expect(
        covers(seg, [span[0] - s(0.2), span[1] + s(0.2)]),
        `segment ${i}: ${seg.start}+${seg.samples.length} ${span}`,
      ).toBe(true)
      // …and not much more than that: the silence between is not sent.
      expect(seg.samples.length).toBeLessThan(span[1] - span[0] + s(0.75))
      expect(Array.from(seg.samples.subarray(0, 100))).toEqual(Array.from(samples.subarray(seg.start, seg.start + 100)))
    }
  })

  test('the chunk size does not change the cuts', () => {
    const { samples } = compose([
      { speech: true, seconds: 1 },
      { speech: false, seconds: 1 },
      { speech: true, seconds: 1 },
    ])
    const a = segment(samples, {}, 128).map((x) => [x.start, x.samples.length])
    const b = segment(samples, {}, 4000).map((x) => [x.start, x.samples.length])
    expect(b).toEqual(a)
  })

  test('a pause shorter than the hangover (between words) does not cut', () => {
    const { samples } = compose([
      { speech: true, seconds: 1 },
      { speech: false, seconds: 0.3 },
      { speech: true, seconds: 1 },
    ])
    expect(segment(samples)).toHaveLength(1)
  })

  test('silence, and a click, give no segment', () => {
    expect(segment(new Float32Array(s(5)))).toEqual([])
    const click = new Float32Array(s(3))
    click.fill(0.8, s(1), s(1) + 320) // 20 ms
    expect(segment(click)).toEqual([])
  })

  test('the noise floor adapts: bursts over loud steady noise are still found, the noise alone is not speech', () => {
    const { samples, spans } = compose(
      [
        { speech: false, seconds: 2 },
        { speech: true, seconds: 1.5 },
        { speech: false, seconds: 1.5 },
        { speech: true, seconds: 1.5 },
        { speech: false, seconds: 1 },
      ],
      0.3,
      0.03, // about −34 dBFS of noise: far above the absolute minimum
    )
    const segments = segment(samples)
    expect(segments).toHaveLength(2)
    for (const [i, span] of spans.entries()) expect(covers(segments[i]!, span)).toBe(true)
    const bed = compose([{ speech: false, seconds: 6 }], 0.3, 0.03).samples
    expect(segment(bed)).toEqual([])
  })
})

describe('length', () => {
  test('speech that runs past the limit is cut at its quietest point, and nothing is lost', () => {
    // 25 s of speech with one quiet 300 ms dip (not long enough to be a pause) at 14 s.
    const { samples } = compose([
      { speech: true, seconds: 14 },
      { speech: false, seconds: 0.3 },
      { speech: true, seconds: 11 },
    ])
    const segments = segment(samples, { maxSegmentMs: 20_000 })
    expect(segments.map((x) => x.cut)).toEqual(['max-length', 'end'])
    const [a, b] = segments as [AudioSegment, AudioSegment]
    const cutAt = (a.start + a.samples.length) / RATE
    expect(cutAt).toBeGreaterThan(14)
    expect(cutAt).toBeLessThan(14.3)
    // Contiguous: the second starts exactly where the first ends.
    expect(b.start).toBe(a.start + a.samples.length)
    expect(b.start + b.samples.length).toBeGreaterThanOrEqual(s(25.3) - s(0.01))
  })

  test('speech that never pauses gives segments no longer than the limit', () => {
    const { samples } = compose([{ speech: true, seconds: 70 }])
    const segments = segment(samples, { maxSegmentMs: 30_000 })
    expect(segments.length).toBe(3)
    for (const x of segments) expect(x.samples.length).toBeLessThanOrEqual(s(30))
    expect(segments.reduce((n, x) => n + x.samples.length, 0)).toBeGreaterThanOrEqual(s(70) - s(0.4))
  })

  test('a segment shorter than the minimum is held open into what follows, and padded at the very end', () => {
    const { samples } = compose([
      { speech: false, seconds: 0.5 },
      { speech: true, seconds: 0.2 },
      { speech: false, seconds: 0.6 },
      { speech: true, seconds: 0.4 },
      { speech: false, seconds: 2 },
      { speech: true, seconds: 0.3 },
    ])
    const free = segment(samples)
    expect(free).toHaveLength(3)
    const merged = segment(samples, { minSegmentMs: 1500 })
    expect(merged).toHaveLength(2)
    for (const x of merged) expect(x.samples.length).toBeGreaterThanOrEqual(s(1.5))
    expect(merged[1]!.cut).toBe('end')
  })
})

describe('the long fixture (twenty sentences, pauses of 1–1.5 s)', () => {
  const fixtures = fileURLToPath(new URL('../../../../../fixtures/speech/', import.meta.url))
  const wav = readFileSync(`${fixtures}long-dictation.wav`)
  const pcm = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength))
  const samples = Float32Array.from(pcm, (x) => x / 32768)
  const { sentences } = JSON.parse(readFileSync(`${fixtures}long-dictation.json`, 'utf8')) as {
    sentences: { text: string; start: number; end: number }[]
  }

  test('one segment per sentence, each holding its whole sentence', () => {
    const segments = segment(samples, { minSegmentMs: 1000 })
    expect(segments).toHaveLength(20)
    for (const [i, sentence] of sentences.entries()) {
      expect(covers(segments[i]!, [s(sentence.start), s(sentence.end)]), sentence.text).toBe(true)
    }
  })

  test('with the fixture 20 dB quieter under a noise bed, still one segment per sentence', () => {
    const rnd = noise(3)
    const quiet = samples.map((x) => x * 0.1 + 0.002 * rnd())
    const segments = segment(quiet, { minSegmentMs: 1000 })
    expect(segments).toHaveLength(20)
    for (const [i, sentence] of sentences.entries()) {
      const seg = segments[i]!
      expect(covers(seg, [s(sentence.start) + s(0.05), s(sentence.end) - s(0.05)]), sentence.text).toBe(true)
    }
  })
})

test('silenceMs and heardSpeech follow the audio (hands-free uses them)', () => {
  const segmenter = createSegmenter()
  segmenter.push(new Float32Array(s(1)))
  expect(segmenter.heardSpeech).toBe(false)
  segmenter.push(compose([{ speech: true, seconds: 1 }]).samples)
  expect(segmenter.heardSpeech).toBe(true)
  expect(segmenter.speaking).toBe(true)
  segmenter.push(new Float32Array(s(2)))
  expect(segmenter.speaking).toBe(false)
  expect(segmenter.silenceMs).toBeGreaterThan(1900)
  expect(segmenter.silenceMs).toBeLessThan(2200)
})
