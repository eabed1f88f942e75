// Progressive playback on Web Audio, for browsers whose MediaSource takes no MP3 (Firefox),
// and for WAV and raw PCM: the stream is cut into groups of whole MP3 frames (or PCM
// samples), each group decoded on its own and scheduled to start where the previous one ends.
import { VoiceError } from '../../errors'
import { sleep } from '../../wait'
import { concat, createMp3Splitter, framesDuration } from '../mp3-frames'
import type { Engine, EngineIO } from '../types'
import { createPauseFinder } from './pauses'

/** Seconds of context time scheduled ahead before reading pauses. */
const AHEAD = 3
/**
 * Seconds of audio per decoded group: half of what is already scheduled ahead, within these
 * bounds. At the start (nothing ahead) a group is the first frames that arrive, so sound starts
 * within a frame or two of the first byte; as audio piles up ahead, groups grow to GROUP.
 */
const FIRST = 0.05
const GROUP = 1
const groupFor = (ahead: number) => Math.min(GROUP, Math.max(FIRST, ahead / 2))
/** Lead (s) when starting: scheduling in the past would start late and overlap what follows. */
const LEAD = 0.02
/** Lead (s) when restarting after the output ran dry: more margin against the next stall. */
const RESTART_LEAD = 0.1
/** Groups decoding at once while little is scheduled ahead (each decode is a round trip to the decoder's thread). */
const MAX_DECODING = 3
/** Seconds scheduled ahead below which audio held back for a bigger group is decoded now. */
const LOW = 0.25
/**
 * Starting within a frame group of the first byte leaves the output only about that much audio ahead of
 * the stream: at 1× real-time arrival, any later hiccup of the network or the page longer than that runs
 * it dry. So while less than CUSHION seconds are scheduled ahead, the pauses of the speech (pauses.ts)
 * are lengthened, by at most STRETCH each, until the cushion is there: what a voice call's jitter buffer
 * does. A stream that arrives faster than it plays builds its cushion at once and is never stretched.
 */
const CUSHION = 0.25
const STRETCH = 0.08

/** Milliseconds a page with no user gesture yet waits for `resume()` before it is taken as refused. */
const REFUSED_AFTER = 200

/**
 * `context.resume()`, refused (NotAllowedError) when the page has had no user gesture and the context did
 * not start: Chromium and Firefox leave the promise pending until a gesture (WebKit refuses at once), and a
 * player waiting on it would be silent with nothing to say. The player then shows `blocked`.
 */
async function resume(context: AudioContext, signal: AbortSignal): Promise<void> {
  const resumed = context.resume()
  const activation = (navigator as { userActivation?: { hasBeenActive: boolean } }).userActivation
  if (!activation || activation.hasBeenActive) return resumed
  const started = await Promise.race([resumed.then(() => true), sleep(REFUSED_AFTER, signal).then(() => false)])
  if (!started && context.state !== 'running') throw new DOMException('Audio needs a user gesture', 'NotAllowedError')
}

/** Three frames of MP3 silence (MPEG-2, 24 kHz, 8 kbps): 72 bytes. */
const SILENCE = '//MUxAAAAANIAAAAAExBTUUzLjEwMFVV//MUxAsAAANIAAAAAFVVVVVVVVVVVVVV//MUxBYAAANIAAAAAFVVVVVVVVVVVVVV'
const warm = new WeakSet<BaseAudioContext>()

/**
 * A page's first `decodeAudioData` loads the decoder: its first utterance started 40–110 ms later than the
 * next ones (Firefox, WebKit). Decoding a few silent frames in the click that asks for speech does that
 * while the request is on its way. Once per context; its failure changes nothing.
 */
export function warmUpDecoder(context: BaseAudioContext): void {
  if (warm.has(context)) return
  warm.add(context)
  const bytes = Uint8Array.from(atob(SILENCE), (c) => c.charCodeAt(0))
  context.decodeAudioData(bytes.buffer).catch(() => {})
}

/**
 * Bytes in, audio out: [buffer, offset (s) where its new audio starts]; `undefined` ends the stream,
 * `null` asks for whatever is held back (the stream is stalling: better small groups than silence).
 * `ahead`: seconds of audio scheduled and not yet played.
 */
type Decoder = (chunk: Uint8Array | undefined | null, ahead: number) => Promise<[AudioBuffer, number][]>

function mp3(io: EngineIO, context: AudioContext): Decoder {
  const splitter = createMp3Splitter()
  let pending: Uint8Array[] = []
  let overlap: Uint8Array[] = []
  return async (chunk, ahead) => {
    if (chunk) pending.push(...splitter.push(chunk))
    else if (chunk === undefined) {
      const tail = splitter.end()
      pending.push(...tail.frames)
      if (tail.truncated) io.fail('it stopped inside an MP3 frame')
    }
    if (!pending.length || (chunk && framesDuration(pending) < groupFor(ahead))) return []
    // One lone frame is too short to decode: it waits for the next (at the very end it is dropped).
    if (overlap.length + pending.length < 2) return []
    // The frame before the group is decoded with it (its bit reservoir feeds the group's first
    // frame), then skipped: decodeAudioData gives exactly one frame's samples per frame.
    const frames = [...overlap, ...pending]
    const skip = framesDuration(overlap)
    overlap = pending.slice(-1)
    pending = []
    return [[await context.decodeAudioData(concat(frames).buffer), skip]]
  }
}

/** 16-bit little-endian PCM: raw (`audio/pcm;rate=24000;channels=1`, OpenAI's default) or in a WAV file. */
function pcm(context: AudioContext, mime: string): Decoder {
  const param = (name: string, fallback: number) => Number(new RegExp(`${name}=(\\d+)`).exec(mime)?.[1] ?? fallback)
  let rate = param('rate', 24000)
  let channels = param('channels', 1)
  let header = mime.startsWith('audio/wav')
  let bytes: Uint8Array<ArrayBuffer> = new Uint8Array(0)
  return async (chunk, ahead) => {
    if (chunk) bytes = concat([bytes, chunk])
    let view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
    // The WAV header: walk its chunks to 'data', reading the format from 'fmt '.
    for (let at = 12; header; ) {
      if (at + 8 > bytes.length) return []
      const id = String.fromCharCode(...bytes.subarray(at, at + 4))
      const size = view.getUint32(at + 4, true)
      if (id === 'data') {
        bytes = bytes.subarray(at + 8)
        view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
        header = false
      } else {
        if (id === 'fmt ') {
          if (at + 24 > bytes.length) return []
          if (view.getUint16(at + 22, true) !== 16)
            throw new VoiceError('unsupported_playback', 'Only 16-bit WAV is played')
          channels = view.getUint16(at + 10, true)
          rate = view.getUint32(at + 12, true)
        }
        at += 8 + size + (size & 1)
      }
    }
    const count = Math.floor(bytes.length / channels / 2)
    if (!count || (chunk && count < rate * groupFor(ahead))) return []
    const buffer = context.createBuffer(channels, count, rate)
    for (let c = 0; c < channels; c++) {
      const out = buffer.getChannelData(c)
      for (let k = 0; k < count; k++) out[k] = view.getInt16((k * channels + c) * 2, true) / 32768
    }
    bytes = bytes.subarray(count * channels * 2)
    return [[buffer, 0]]
  }
}

interface Scheduled {
  node: AudioBufferSourceNode
  buffer: AudioBuffer
  offset: number
  /** Context time the node starts at (rebased when the rate changes). */
  when: number
  /** Position (s) of its first sample in the utterance, and its length (s). */
  at: number
  length: number
}

export const webaudioEngine: Engine = {
  id: 'webaudio',
  supports: (mime) => typeof AudioContext !== 'undefined' && /^audio\/(mpeg|wav|pcm)/.test(mime),
  start(io, mime) {
    const [context, output] = io.context()
    const { signal } = io
    const decode = mime === 'audio/mpeg' ? mp3(io, context) : pcm(context, mime)
    const live: Scheduled[] = [] // scheduled and not yet ended: what is held in memory
    let rate = io.rate
    let next = 0 // context time where the next buffer starts
    let total = 0 // seconds scheduled so far
    let first = 0 // context time of the first sample
    let complete = false // the whole stream is scheduled
    const pauses = createPauseFinder()
    const drop = (s: Scheduled) => {
      s.node.onended = null
      s.node.stop()
      s.node.disconnect()
    }
    const play = (s: Scheduled, when: number) => {
      const node = context.createBufferSource()
      node.buffer = s.buffer
      node.playbackRate.value = rate
      node.connect(output)
      node.onended = () => {
        node.disconnect()
        live.splice(live.indexOf(s), 1)
      }
      node.start(when, s.offset, s.length)
      s.node = node
      s.when = when
      return when + s.length / rate
    }
    signal.addEventListener('abort', () => {
      for (const s of live.splice(0)) drop(s)
    })
    /** Reports the first sound exactly when the context clock reaches it (not at the next 250 ms tick). */
    const announce = () => {
      const now = context.currentTime
      if (signal.aborted) return
      if (now >= first && context.state === 'running') io.playing(performance.now() - (now - first) * 1000)
      else setTimeout(announce, Math.max(4, (first - now) * 1000))
    }
    /** Plays a decoded buffer (its audio from `offset` s) where the previous one ends. */
    const schedule = (buffer: AudioBuffer, offset: number) => {
      signal.throwIfAborted()
      const now = context.currentTime
      // Back to back with the previous buffer; after a gap (or at first), a little ahead of the clock.
      const dry = total > 0 && next <= now
      if (dry) io.waiting() // the output ran dry: an underrun
      let when = next > now ? next : now + (dry ? RESTART_LEAD : LEAD)
      // Short of the cushion: the buffer is played in two parts with a longer pause between them.
      const gap = Math.min(STRETCH, CUSHION - (when - now))
      const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c))
      const pause = pauses(channels, Math.round(offset * buffer.sampleRate), buffer.sampleRate)
      const cut = pause === undefined ? undefined : pause / buffer.sampleRate
      const parts: [number, number][] =
        cut !== undefined && gap > 0.02
          ? [
              [offset, cut],
              [cut, buffer.duration],
            ]
          : [[offset, buffer.duration]]
      for (const [from, to] of parts) {
        if (to - from > 0) {
          const s = { buffer, offset: from, at: total, length: to - from } as Scheduled
          when = play(s, when)
          if (!total) {
            first = s.when
            io.start(() => resume(context, signal))
            announce()
          }
          live.push(s)
          total += s.length
        }
        if (parts.length > 1 && from === offset) when += gap
      }
      next = when
    }
    const run = async () => {
      let scheduled = Promise.resolve()
      let decoding = 0
      let broken = false // a decode failed: run() rejects with its error at once
      let reading: Promise<Uint8Array | undefined> | undefined
      let flushed = false
      for (;;) {
        while (next - context.currentTime > AHEAD) await sleep(100, signal)
        if (broken) await scheduled
        reading ??= io.read()
        const left = next - context.currentTime
        // While the stream stalls, audio held back for a bigger group goes out before the output runs dry.
        const chunk: Uint8Array | undefined | null =
          total && !flushed
            ? await Promise.race([
                reading,
                new Promise<null>((resolve) => setTimeout(resolve, Math.max(0, (left - LOW) * 1000), null)),
              ])
            : await reading
        flushed = chunk === null
        if (!flushed) reading = undefined
        const ahead = Math.max(0, next - context.currentTime) * rate
        // Decoding runs ahead: the next chunk is read and its decoding started while this one decodes (a
        // decode's round trip can outlast the gap between chunks on a busy machine); buffers are scheduled in order.
        const decoded = decode(chunk, ahead)
        decoding++
        scheduled = Promise.all([scheduled, decoded]).then(([, buffers]) => {
          decoding--
          for (const [buffer, offset] of buffers) schedule(buffer, offset)
        })
        scheduled.catch(() => {
          broken = true
        })
        // Ahead only while the output is short of audio: otherwise one at a time, so that what is read stays bounded.
        if (decoding >= MAX_DECODING || broken || next - context.currentTime > LOW) await scheduled
        if (chunk === undefined) break
      }
      await scheduled
      complete = true
      if (!total) return io.fail('it held no audio')
      while (live.length) await sleep(100, signal)
    }
    return {
      done: run(),
      time() {
        const now = context.currentTime
        let position = live[0]?.at ?? total
        let sounding = false
        for (const s of live) {
          if (s.when > now) break
          position = s.at + Math.min((now - s.when) * rate, s.length)
          sounding = true
        }
        if (sounding && context.state === 'running') io.playing(performance.now() - (now - first) * 1000)
        else if (!live.length && !complete) io.waiting()
        return [position, live[0]?.at ?? total, total]
      },
      rate(value) {
        // The sounding node keeps its position and changes speed; the ones after it are rescheduled.
        const now = context.currentTime
        let at = now
        for (const s of live) {
          if (s.when > now) break
          s.when = now - Math.min((now - s.when) * rate, s.length) / value
          s.node.playbackRate.value = value
          at = s.when + s.length / value
        }
        rate = value
        for (const s of live) {
          if (s.when <= now) continue
          drop(s)
          at = play(s, at)
        }
        if (live.length) next = at
      },
    }
  },
}
