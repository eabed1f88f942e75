// In a browser page: time to first audio (our player vs the whole-blob approach vs a minimal
// hand-written MediaSource loop), underruns over a pause between sentences, speed at another playbackRate,
// and long playback (buffered-behind seconds, JS heap).
import { createStreamingPlayer, type PlaybackEngine } from '@voicekit/core'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function bytesOf(url: string, repeat = 1): Promise<Uint8Array> {
  const one = new Uint8Array(await (await fetch(url)).arrayBuffer())
  const all = new Uint8Array(one.length * repeat)
  for (let i = 0; i < repeat; i++) all.set(one, i * one.length)
  return all
}

/** `bytes` as a stream paced at `bytesPerSecond` (slices every 50 ms); `t0` is when it starts flowing. */
function paced(bytes: Uint8Array, bytesPerSecond: number) {
  const slice = Math.max(1, Math.round(bytesPerSecond / 20))
  let offset = 0
  let next = 0
  const clock = { t0: 0 }
  const body = new ReadableStream<Uint8Array>({
    start() {
      clock.t0 = performance.now()
      next = clock.t0
    },
    async pull(controller) {
      if (offset >= bytes.length) return controller.close()
      const wait = next - performance.now()
      if (wait > 0) await sleep(wait)
      controller.enqueue(bytes.slice(offset, offset + slice))
      offset += slice
      next += 50
    },
  })
  return { body, clock }
}

const muted = () => {
  const audio = new Audio()
  audio.muted = true
  return audio
}

/**
 * What `unlock()` in the click handler does while the speech request is on its way: the player's
 * AudioContext (the webaudio engine's output) is created and running before the first byte, as it is in
 * an app, so that the figures measure the player, not the browser opening its audio device.
 */
async function unlocked(player: ReturnType<typeof createStreamingPlayer>) {
  player.unlock()
  const context = player.output().context
  for (const t0 = performance.now(); context && context.state !== 'running'; await sleep(10)) {
    if (performance.now() - t0 > 5000) throw new Error(`the AudioContext is ${context.state}, not running`)
  }
}

/** Our player: ms from the stream's start until the player reports audio playing. */
async function ours(bytes: Uint8Array, bps: number, engine: PlaybackEngine): Promise<number> {
  const player = createStreamingPlayer({ engines: [engine], volume: 0 })
  await unlocked(player)
  const { body, clock } = paced(bytes, bps)
  const first = new Promise<number>((resolve, reject) => {
    const unsubscribe = player.subscribe(() => {
      const state = player.getSnapshot()
      if (state.firstAudioMs !== null) {
        unsubscribe()
        resolve(performance.now() - clock.t0)
      } else if (state.error) reject(state.error)
    })
  })
  void player.play({ mimeType: 'audio/mpeg', body })
  const ms = await first
  if (player.getSnapshot().engine !== engine) throw new Error(`engine ${player.getSnapshot().engine}, not ${engine}`)
  player.dispose()
  return ms
}

/**
 * The whole stream at 1× through our player: first audio after the first byte (the player's own figures),
 * underruns. `requestMs`: from the click (unlock) to the first byte, the request's round trip.
 */
async function whole(url: string, seconds: number, engine: PlaybackEngine, requestMs = 0) {
  const bytes = await bytesOf(url)
  const player = createStreamingPlayer({ engines: [engine], volume: 0 })
  await unlocked(player)
  await sleep(requestMs)
  const { body } = paced(bytes, bytes.length / seconds)
  const start = performance.now()
  const error = await player.play({ mimeType: 'audio/mpeg', body })
  const end = performance.now()
  const state = player.getSnapshot()
  player.dispose()
  if (error) throw error
  return {
    firstAudioAfterFirstByteMs: state.firstAudioMs! - state.firstByteMs!,
    underruns: state.underruns,
    // From the first audio to the end, beyond the audio's own length: pauses, lengthened or dry.
    longerMs: end - (start + state.firstAudioMs!) - state.bufferedUntil * 1000,
  }
}

/**
 * A reply whose server pauses between two sentences: the first at once, nothing for `pauseMs` (longer than the
 * first sentence, so the output runs dry), then the second (one MP3 per sentence, as the speech server streams
 * them). Underruns counted by the player over the whole.
 */
async function pauseBetween(firstUrl: string, secondUrl: string, engine: PlaybackEngine, pauseMs: number) {
  const sentences = [await bytesOf(firstUrl), await bytesOf(secondUrl)]
  const player = createStreamingPlayer({ engines: [engine], volume: 0 })
  await unlocked(player)
  let step = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (step === 1) await sleep(pauseMs)
      const sentence = sentences[step]
      if (sentence) controller.enqueue(sentence)
      else controller.close()
      step++
    },
  })
  const error = await player.play({ mimeType: 'audio/mpeg', body })
  const { underruns } = player.getSnapshot()
  player.dispose()
  if (error) throw error
  return { underruns }
}

/**
 * Audio seconds played per wall-clock second at `rate` (the stream fed fast), over `wallMs` once audible:
 * what a listener gets from `playbackRate`.
 */
async function rateSpeed(url: string, engine: PlaybackEngine, rate: number, wallMs: number) {
  const bytes = await bytesOf(url)
  const player = createStreamingPlayer({ engines: [engine], volume: 0, playbackRate: rate })
  await unlocked(player)
  const result = player.play({ mimeType: 'audio/mpeg', body: new Blob([bytes as Uint8Array<ArrayBuffer>]).stream() })
  for (const t0 = performance.now(); player.getSnapshot().currentTime <= 0; await sleep(20)) {
    if (performance.now() - t0 > 10_000) throw new Error('nothing played in 10 s')
  }
  const [p0, w0] = [player.getSnapshot().currentTime, performance.now()]
  await sleep(wallMs)
  const [p1, w1] = [player.getSnapshot().currentTime, performance.now()]
  player.stop()
  await result
  player.dispose()
  return { speed: (p1 - p0) / ((w1 - w0) / 1000) }
}

/** What most libraries do: wait for the whole download, then `new Audio(objectURL)`. */
async function wholeBlob(bytes: Uint8Array, bps: number): Promise<number> {
  const { body, clock } = paced(bytes, bps)
  const blob = await new Response(body).blob()
  const audio = muted()
  audio.src = URL.createObjectURL(new Blob([blob], { type: 'audio/mpeg' }))
  const playing = new Promise((resolve) => audio.addEventListener('playing', resolve, { once: true }))
  await audio.play()
  await playing
  const ms = performance.now() - clock.t0
  audio.pause()
  URL.revokeObjectURL(audio.src)
  return ms
}

/** The least a hand-written MediaSource player does: append each chunk as it arrives, play. */
async function minimalMse(bytes: Uint8Array, bps: number): Promise<number> {
  const { body, clock } = paced(bytes, bps)
  const audio = muted()
  const source = new MediaSource()
  audio.src = URL.createObjectURL(source)
  await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }))
  const buffer = source.addSourceBuffer('audio/mpeg')
  buffer.mode = 'sequence'
  const playing = new Promise((resolve) => audio.addEventListener('playing', resolve, { once: true }))
  void audio.play().catch(() => {})
  const reader = body.getReader()
  let ms = 0
  void playing.then(() => {
    ms = performance.now() - clock.t0
  })
  for (;;) {
    const { done, value } = await reader.read()
    if (done || ms) break
    buffer.appendBuffer(value as Uint8Array<ArrayBuffer>)
    await new Promise((resolve) => buffer.addEventListener('updateend', resolve, { once: true }))
  }
  await playing
  reader.cancel().catch(() => {})
  audio.pause()
  return ms
}

/** Time to first audio at `speed`× real time, `runs` each; the whole-blob runs once (it is the stream's length). */
async function firstAudio(url: string, seconds: number, speed: number, engine: PlaybackEngine, runs: number) {
  const bytes = await bytesOf(url)
  const bps = (bytes.length / seconds) * speed
  const blob = wholeBlob(bytes, bps)
  const result: { ours: number[]; mse: number[]; blob: number } = { ours: [], mse: [], blob: 0 }
  for (let i = 0; i < runs; i++) {
    result.ours.push(await ours(bytes, bps, engine))
    if (typeof MediaSource === 'function' && MediaSource.isTypeSupported('audio/mpeg')) {
      result.mse.push(await minimalMse(bytes, bps))
    }
  }
  result.blob = await blob
  return result
}

interface Sample {
  wallS: number
  audioS: number
  behindS: number
  heapMiB: number | null
}

const heap = () => {
  const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory
  return memory ? memory.usedJSHeapSize / 2 ** 20 : null
}

/**
 * A stream of `repeat` copies of the file (an hour, say) fed as fast as the player takes it, played
 * at `rate`, for `wallSeconds`: samples of buffered-behind seconds and JS heap, once a second.
 */
async function longPlayback(url: string, repeat: number, rate: number, wallSeconds: number, engine: PlaybackEngine) {
  const bytes = await bytesOf(url, repeat)
  const player = createStreamingPlayer({ engines: [engine], volume: 0, playbackRate: rate })
  let offset = 0
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) return controller.close()
        controller.enqueue(bytes.subarray(offset, offset + 16 * 1024))
        offset += 16 * 1024
      },
    },
    { highWaterMark: 0 },
  )
  void player.play({ mimeType: 'audio/mpeg', body })
  const samples: Sample[] = []
  const t0 = performance.now()
  for (let s = 1; s <= wallSeconds; s++) {
    await sleep(t0 + s * 1000 - performance.now())
    const state = player.getSnapshot()
    samples.push({
      wallS: s,
      audioS: state.currentTime,
      behindS: Math.max(0, state.currentTime - state.bufferedFrom),
      heapMiB: heap(),
    })
  }
  const fed = offset
  player.dispose()
  return { samples, fedMiB: fed / 2 ** 20, totalMiB: bytes.length / 2 ** 20 }
}

/** The same feed through the minimal MediaSource loop (no eviction): what a hand-written player keeps behind. */
async function longMinimalMse(url: string, repeat: number, rate: number, wallSeconds: number) {
  const bytes = await bytesOf(url, repeat)
  const audio = muted()
  const source = new MediaSource()
  audio.src = URL.createObjectURL(source)
  await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }))
  const buffer = source.addSourceBuffer('audio/mpeg')
  buffer.mode = 'sequence'
  audio.playbackRate = rate
  void audio.play().catch(() => {})
  let stop = false
  let quota = false
  const feed = (async () => {
    for (let offset = 0; offset < bytes.length && !stop; offset += 16 * 1024) {
      try {
        buffer.appendBuffer(bytes.subarray(offset, offset + 16 * 1024) as Uint8Array<ArrayBuffer>)
      } catch {
        quota = true // QuotaExceededError: a minimal loop just waits and tries again
        offset -= 16 * 1024
        await sleep(250)
        continue
      }
      await new Promise((resolve) => buffer.addEventListener('updateend', resolve, { once: true }))
    }
  })()
  const samples: Sample[] = []
  const t0 = performance.now()
  for (let s = 1; s <= wallSeconds; s++) {
    await sleep(t0 + s * 1000 - performance.now())
    const from = buffer.buffered.length ? buffer.buffered.start(0) : 0
    samples.push({ wallS: s, audioS: audio.currentTime, behindS: audio.currentTime - from, heapMiB: heap() })
  }
  stop = true
  await feed
  audio.pause()
  return { samples, quota }
}

Object.assign(window, { bench: { firstAudio, whole, pauseBetween, rateSpeed, longPlayback, longMinimalMse } })
document.title = 'ready'
