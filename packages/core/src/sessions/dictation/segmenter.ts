// Voice-activity segmentation without a model: 10 ms frames, energy against an adaptive noise
// floor, a hangover before a pause ends a segment, pre- and post-roll so no word is clipped, a cut
// at the quietest point when speech runs long, and segments held open until the provider's
// minimum length. A pure function of the samples pushed: the same audio always gives the same cuts.

export interface SegmenterOptions {
  /** Samples per second of what is pushed. Default 16000. */
  sampleRate?: number
  /** How far above the noise floor a frame must be to count as speech, in dB. Default 12. */
  thresholdDb?: number
  /** A frame quieter than this (dBFS) is never speech, whatever the floor. Default −55. */
  minSpeechDb?: number
  /** Speech must last this long to open a segment (a click does not). Default 50 ms. */
  minSpeechMs?: number
  /** Silence that ends a segment (the hangover). Default 550 ms. */
  pauseMs?: number
  /** Audio kept before the first speech frame. Default 300 ms. */
  preRollMs?: number
  /** Audio kept after the last speech frame. Default 350 ms (≤ `pauseMs`). */
  postRollMs?: number
  /** A segment that reaches this length is cut at its quietest point in its second half. Default 30 000 ms. */
  maxSegmentMs?: number
  /** No segment is shorter: a short one is held open (and padded with silence at the very end). Default 0. */
  minSegmentMs?: number
}

export interface AudioSegment {
  /** 0, 1, 2… in the order of the audio. */
  index: number
  /** Where it starts on the recording's clock, in samples. */
  start: number
  samples: Float32Array
  /** Why it ended: a pause, the length limit (cut at the quietest point), or the end of the audio. */
  cut: 'pause' | 'max-length' | 'end'
}

export interface Segmenter {
  /** Feeds audio; returns the segments it completes. */
  push(chunk: Float32Array): AudioSegment[]
  /** Ends the audio: returns the segment in progress, if it holds speech. */
  flush(): AudioSegment[]
  /** Samples pushed so far. */
  readonly position: number
  /** A segment (speech) is open. */
  readonly speaking: boolean
  /** Whether any speech was heard yet. */
  readonly heardSpeech: boolean
  /** Milliseconds since the last speech frame (since the start when there was none). */
  readonly silenceMs: number
  /** The current noise floor estimate, dBFS. */
  readonly floorDb: number
}

const FRAME_MS = 10
const FLOOR_MIN_DB = -90
const LEARN_FRAMES = 20

export function createSegmenter(options: SegmenterOptions = {}): Segmenter {
  const rate = options.sampleRate ?? 16_000
  const frame = Math.round((rate * FRAME_MS) / 1000)
  const ms = (value: number) => Math.round((value * rate) / 1000)
  const thresholdDb = options.thresholdDb ?? 12
  const minSpeechDb = options.minSpeechDb ?? -55
  const onsetFrames = Math.max(1, Math.round((options.minSpeechMs ?? 50) / FRAME_MS))
  const pause = ms(options.pauseMs ?? 550)
  const preRoll = ms(options.preRollMs ?? 300)
  const postRoll = Math.min(ms(options.postRollMs ?? 350), pause)
  const maxLength = Math.max(ms(options.maxSegmentMs ?? 30_000), ms(1000))
  const minLength = ms(options.minSegmentMs ?? 0)

  // Audio held: from `held` (a sample position) up to `position`.
  let buffer = new Float32Array(rate * 4)
  let held = 0
  let position = 0
  let partial = new Float32Array(0) // the samples of an incomplete frame
  // Per-frame energies (dB) of the held audio, frame k covering [held + k·frame, …).
  let energies: number[] = []
  // The noise floor: the quietest frame of the last few seconds (minimum statistics), kept as
  // the minima of 250 ms blocks. Speech has closures and gaps between syllables far quieter than
  // its peaks, so the floor stays near the background even while someone talks without pausing.
  const BLOCK_FRAMES = 25
  const BLOCKS = 12
  const minima: number[] = []
  let blockMin = Infinity
  let blockFrames = 0
  let floor = FLOOR_MIN_DB
  let frames = 0
  let run = 0 // consecutive speech frames
  let open = -1 // where the open segment starts, or −1
  let lastSpeech = -1 // end of the last speech frame
  let heard = false
  let index = 0

  const append = (chunk: Float32Array) => {
    const used = position - held
    if (used + chunk.length > buffer.length) {
      const grown = new Float32Array(Math.max(buffer.length * 2, used + chunk.length))
      grown.set(buffer.subarray(0, used))
      buffer = grown
    }
    buffer.set(chunk, used)
    position += chunk.length
  }
  /** Forgets audio before `from` (a frame boundary relative to `held`). */
  const dropBefore = (from: number) => {
    const drop = Math.floor((from - held) / frame) * frame
    if (drop <= 0) return
    buffer.copyWithin(0, drop, position - held)
    energies = energies.slice(drop / frame)
    held += drop
  }
  const take = (from: number, to: number, cut: AudioSegment['cut'], pad = 0): AudioSegment => {
    const samples = new Float32Array(Math.max(to - from, pad))
    samples.set(buffer.subarray(from - held, to - held))
    return { index: index++, start: from, samples, cut }
  }
  /** The quietest 200 ms in the open segment's second half: where a long segment is cut. */
  const quietest = (): number => {
    const window = 20
    const first = Math.ceil((open + maxLength / 2 - held) / frame)
    const last = energies.length - window
    let best = last
    let bestSum = Infinity
    let sum = 0
    for (let k = first; k < first + window && k < energies.length; k++) sum += 10 ** ((energies[k] ?? 0) / 10)
    for (let k = first; k <= last; k++) {
      if (sum < bestSum) {
        bestSum = sum
        best = k
      }
      sum += 10 ** ((energies[k + window] ?? -120) / 10) - 10 ** ((energies[k] ?? 0) / 10)
    }
    return held + (best + window / 2) * frame
  }

  const onFrame = (samples: Float32Array, end: number, out: AudioSegment[]) => {
    let sum = 0
    for (const x of samples) sum += x * x
    const db = Math.max(-120, 10 * Math.log10(sum / samples.length || 1e-12))
    energies.push(db)
    blockMin = Math.min(blockMin, db)
    if (++blockFrames === BLOCK_FRAMES) {
      minima.push(blockMin)
      if (minima.length > BLOCKS) minima.shift()
      blockMin = Infinity
      blockFrames = 0
    }
    floor = Math.max(FLOOR_MIN_DB, Math.min(blockMin, ...minima))
    // The first 200 ms only learn the floor (pre-roll still reaches back over them).
    const speech = ++frames > LEARN_FRAMES && db > Math.max(floor + thresholdDb, minSpeechDb)
    run = speech ? run + 1 : 0

    if (open < 0) {
      if (run >= onsetFrames) {
        open = Math.max(held, end - run * frame - preRoll)
        lastSpeech = end
        heard = true
      } else dropBefore(end - preRoll)
      return
    }
    if (speech) lastSpeech = end
    const length = end - open
    if (length >= maxLength) {
      const cut = quietest()
      out.push(take(open, cut, 'max-length'))
      open = cut
      dropBefore(cut)
      return
    }
    if (end - lastSpeech >= pause && length >= minLength) {
      const cut = Math.min(end, Math.max(lastSpeech + postRoll, open + minLength))
      out.push(take(open, cut, 'pause'))
      open = -1
      dropBefore(end - preRoll)
    }
  }

  const segmenter: Segmenter = {
    push(chunk) {
      const out: AudioSegment[] = []
      let data = chunk
      if (partial.length) {
        data = new Float32Array(partial.length + chunk.length)
        data.set(partial)
        data.set(chunk, partial.length)
      }
      const whole = data.length - (data.length % frame)
      for (let i = 0; i < whole; i += frame) {
        const samples = data.subarray(i, i + frame)
        append(samples)
        onFrame(samples, position, out)
      }
      partial = data.slice(whole)
      return out
    },
    flush() {
      if (partial.length) {
        append(partial)
        partial = new Float32Array(0)
      }
      if (open < 0) return []
      const end = Math.min(position, lastSpeech + postRoll)
      const segment = take(open, end, 'end', minLength)
      open = -1
      dropBefore(position)
      return [segment]
    },
    get position() {
      return position + partial.length
    },
    get speaking() {
      return open >= 0
    },
    get heardSpeech() {
      return heard
    },
    get silenceMs() {
      const since = Math.max(lastSpeech, 0)
      return ((position - since) / rate) * 1000
    },
    get floorDb() {
      return floor
    },
  }
  return segmenter
}
