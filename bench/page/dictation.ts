// In headless Chromium: continuous dictation of the long fixture (twenty sentences, 70 s), looped to the
// length asked, fed through the dictation's own segmenter, upload path and stitching as the microphone
// would feed it; then the same audio as one file (the single-file mode's upload), after the continuous
// run so the two never share the speech server or the memory figure.
import { createDictation, createDifyTranscriber, createElevenLabsTransport, createSamplesPcm } from '@voicekit/core'
import type { PcmSink, PcmSource } from '../../packages/core/src/capture/pcm/source'

const RATE = 16_000
const CHUNK = RATE / 10 // 100 ms, as the microphone's worklet and createSamplesPcm deliver

interface Fixture {
  header: ArrayBuffer
  pcm: ArrayBuffer
  samples: Float32Array
  sentences: { text: string; start: number; end: number }[]
}
let fixture: Promise<Fixture> | undefined
function loadFixture(): Promise<Fixture> {
  fixture ??= Promise.all([
    fetch('/media/long-dictation.wav').then((r) => r.arrayBuffer()),
    fetch('/media/long-dictation.json').then((r) => r.json()),
  ]).then(([wav, json]) => {
    // Padded with silence to whole 100 ms chunks (so whole 10 ms frames of the segmenter): every pass of
    // the loop then meets the same frame boundaries, so the segmenter cuts each pass the same way.
    const length = Math.ceil((wav.byteLength - 44) / 2 / CHUNK) * CHUNK
    const pcm = new ArrayBuffer(length * 2)
    new Uint8Array(pcm).set(new Uint8Array(wav, 44))
    return {
      header: wav.slice(0, 44),
      pcm,
      samples: Float32Array.from(new Int16Array(pcm), (x) => x / 32768),
      sentences: json.sentences,
    }
  })
  return fixture
}

/** `minutes` of the fixture: whole loops, then its first sentences, ending nearest the length asked. */
function plan(f: Fixture, minutes: number) {
  const loopSamples = f.samples.length
  const target = Math.round(minutes * 60 * RATE)
  const loops = Math.floor(target / loopSamples)
  const rest = target - loops * loopSamples
  // The audio ends 300 ms after a sentence's last word, as when a person presses stop having finished:
  // the segmenter's 550 ms pause has not closed the last segment yet, so stop has it still to send.
  const tail = Math.round(0.3 * RATE)
  let sentences = 0
  let cut = 0
  for (const [i, sentence] of f.sentences.entries()) {
    const end = Math.min(Math.round(sentence.end * RATE) + tail, loopSamples)
    if (Math.abs(end - rest) < Math.abs(cut - rest)) {
      sentences = i + 1
      cut = end
    }
    if (end > rest) break
  }
  const words = f.sentences.map((s) => s.text)
  const expected = [...Array.from({ length: loops }, () => words.join(' ')), ...words.slice(0, sentences)].join(' ')
  return { loops, cut, samples: loops * loopSamples + cut, expected }
}

/**
 * The planned audio, `speed` times real time (Infinity: as fast as the page runs), in 100 ms chunks. While
 * more than `backlog` segments wait for the server, feeding holds: an accelerated run then meets the
 * queue a real-time one would (the local server transcribes faster than real time, not 30× faster),
 * instead of holding minutes of unsent audio that no person speaking could make.
 */
function loopedSource(
  f: Fixture,
  p: ReturnType<typeof plan>,
  speed: number,
  pending: () => number,
  backlog: number,
  fed: () => void,
): PcmSource {
  let sink: PcmSink | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let at = 0
  let last = 0
  let credit = 0
  const halt = () => {
    clearTimeout(timer)
    sink = undefined
  }
  const tick = () => {
    if (!sink) return
    const now = performance.now()
    credit += Number.isFinite(speed) ? ((now - last) / 1000) * speed * RATE : 8 * CHUNK
    last = now
    while (sink && credit >= CHUNK && at < p.samples && pending() <= backlog) {
      const offset = at % f.samples.length
      const end = Math.min(offset + CHUNK, f.samples.length, offset + (p.samples - at))
      sink.samples(f.samples.slice(offset, end))
      at += end - offset
      credit -= end - offset
    }
    if (pending() > backlog) credit = 0
    if (at >= p.samples) {
      fed()
      return
    }
    timer = setTimeout(tick, 10)
  }
  return {
    async start(target) {
      sink = target
      last = performance.now()
      timer = setTimeout(tick, 0)
    },
    async stop() {
      halt()
    },
    cancel: halt,
  }
}

export interface DictateResult {
  realTime: boolean
  /** From stop() to every segment settled (the whole text). */
  stopMs: number
  /** From start to the first text on screen. */
  firstTextMs: number
  /** Audio seconds fed ÷ wall seconds of feeding. */
  speed: number
  audioSeconds: number
  loops: number
  segments: number
  failed: number
  pendingAtStop: number
  status: string
  text: string
  expected: string
}

async function dictate(minutes: number, speed: number, basePath: string): Promise<DictateResult> {
  const f = await loadFixture()
  // Real time never holds: a microphone does not wait for the server.
  const realTime = speed === 1
  const backlog = realTime ? Number.POSITIVE_INFINITY : 2
  const p = plan(f, minutes)
  const transport = createDifyTranscriber({ baseUrl: basePath, timeoutMs: 0 })
  let feeding: () => void = () => {}
  const allFed = new Promise<void>((resolve) => {
    feeding = resolve
  })
  const dictation = createDictation({
    transport,
    keepRecording: false,
    source: () => loopedSource(f, p, speed, () => dictation.getSnapshot().pending, backlog, feeding),
  })
  // The first words and what stop waits for are recognised live; in between, the bench server may answer
  // a segment it has recognised before from its memo (bench/dictation.ts says why).
  await fetch('/bench/live')
  let firstText = 0
  const t0 = performance.now()
  const unsubscribe = dictation.subscribe(() => {
    if (firstText || !dictation.getSnapshot().text) return
    firstText = performance.now() - t0
    void fetch('/bench/memo')
  })
  await dictation.start()
  await allFed
  const fedMs = performance.now() - t0
  // Accelerated, the server may still hold the last sentences when the audio runs out; spoken in real
  // time they would have been transcribed while the person spoke, so stop comes once they are.
  if (!realTime) {
    await new Promise<void>((resolve) => {
      let off = () => {}
      const check = () => {
        if (dictation.getSnapshot().pending > 0) return
        off()
        resolve()
      }
      off = dictation.subscribe(check)
      check()
    })
  }
  const pendingAtStop = dictation.getSnapshot().pending
  await fetch('/bench/live')
  const stopAt = performance.now()
  await dictation.stop()
  const stopMs = performance.now() - stopAt
  const state = dictation.getSnapshot()
  unsubscribe()
  dictation.dispose()
  return {
    realTime,
    stopMs,
    firstTextMs: firstText,
    speed: p.samples / RATE / (fedMs / 1000),
    audioSeconds: p.samples / RATE,
    loops: p.loops + p.cut / f.samples.length,
    segments: state.segments.length,
    failed: state.segments.filter((s) => s.status === 'failed').length,
    pendingAtStop,
    status: state.status,
    text: state.text,
    expected: p.expected,
  }
}

/** The same audio as one WAV upload, as the single-file mode sends it after stop: the time to its text. */
async function single(minutes: number, basePath: string) {
  const f = await loadFixture()
  const p = plan(f, minutes)
  const bytes = p.samples * 2
  const header = new DataView(f.header.slice(0))
  header.setUint32(4, 36 + bytes, true)
  header.setUint32(40, bytes, true)
  const parts: BlobPart[] = [header.buffer as ArrayBuffer]
  for (let i = 0; i < p.loops; i++) parts.push(f.pcm)
  parts.push(f.pcm.slice(0, p.cut * 2))
  const wav = new Blob(parts, { type: 'audio/wav' })
  const transport = createDifyTranscriber({ baseUrl: basePath, timeoutMs: 0 })
  await fetch('/bench/live')
  const t0 = performance.now()
  const result = await transport.transcribe(wav)
  return { ms: performance.now() - t0, text: result.text, expected: p.expected }
}

/** One change of what the page shows: ms since the first audio chunk was delivered, and the words on screen. */
export interface ScreenChange {
  ms: number
  text: string
  interim: string
}
export interface TimedDictation {
  mode: string
  status: string
  /** start() resolved, in ms after the first chunk was delivered (negative: before it). */
  startMs: number
  /** The source had delivered its last chunk, ms after the first. */
  fedMs: number
  changes: ScreenChange[]
  text: string
  segments: number
  error?: string
}

/**
 * The fixture's first `sentences` sentences (to the next one's start: its pause included), fed in real time
 * (createSamplesPcm, speed 1) to a dictation in `mode` over Scribe (real time: its socket through the
 * relay; continuous: a WAV per pause over HTTP). Every state change is recorded with the time since the
 * first chunk was delivered (the audio clock's zero: sample t of the audio is delivered at most 100 ms
 * after t on that clock, as the microphone's worklet delivers it).
 */
async function timed(mode: 'realtime' | 'continuous', sentences: number, baseUrl: string): Promise<TimedDictation> {
  const f = await loadFixture()
  const next = f.sentences[sentences]
  const samples = f.samples.slice(0, next ? Math.round(next.start * RATE) : f.samples.length)
  const transport = createElevenLabsTransport({ baseUrl, realtime: true })
  let first = Number.NaN
  let last = Number.NaN
  let ended: () => void = () => {}
  const done = new Promise<void>((resolve) => {
    ended = resolve
  })
  const source = (): PcmSource => {
    const inner = createSamplesPcm(samples, { speed: 1 })
    return {
      ...inner,
      start: (sink) =>
        inner.start({
          samples(chunk) {
            const now = performance.now()
            if (Number.isNaN(first)) first = now
            last = now
            sink.samples(chunk)
          },
          ended() {
            ended()
            sink.ended?.()
          },
        }),
    }
  }
  const dictation = createDictation({ transport, mode, keepRecording: false, source })
  const raw: { at: number; text: string; interim: string }[] = []
  const unsubscribe = dictation.subscribe(() => {
    const s = dictation.getSnapshot()
    const prev = raw[raw.length - 1]
    if (prev && prev.text === s.text && prev.interim === s.interim) return
    raw.push({ at: performance.now(), text: s.text, interim: s.interim })
  })
  let error: string | undefined
  let startedAt = Number.NaN
  try {
    await dictation.start()
    startedAt = performance.now()
    await done
    await dictation.stop()
  } catch (e) {
    error = e instanceof Error ? e.message : String(e)
  }
  const state = dictation.getSnapshot()
  unsubscribe()
  dictation.dispose()
  return {
    mode: state.mode,
    status: state.status,
    startMs: startedAt - first,
    fedMs: last - first,
    changes: raw.map((c) => ({ ms: c.at - first, text: c.text, interim: c.interim })),
    text: state.text,
    segments: state.segments.length,
    error: error ?? state.error?.message,
  }
}

;(window as unknown as { bench: unknown }).bench = {
  dictate,
  single,
  timed,
  load: () => loadFixture().then(() => true),
}
document.title = 'ready'
