// createDictation: continuous dictation of any length. Audio is cut at pauses while it is being
// recorded; each segment goes to the provider as a WAV while recording continues, a bounded number
// at a time; the texts are stitched in order onto the recording's clock. Nothing is lost: retryable
// failures are retried, network failures wait for the connection, failed segments can be sent
// again by hand, and (opt-in) segments wait in IndexedDB across a reload.

import type { LevelSource, PcmSource, Recorder } from '../../capture'
import {
  createMicrophonePcm,
  createRecorder,
  encodeWav,
  PCM_RATE,
  pcm16Wav,
  pcmCaptureSupported,
  toUploadable,
} from '../../capture'
import { VoiceError } from '../../errors'
import { createStore } from '../../store'
import type { Transcript } from '../../transport/types'
import { asVoiceError, request } from '../kernel'
import { createLiveLink, type LiveFinal, type LiveLink, transcribeOverSocket } from './live'
import { discardSavedDictation, type SavedDictation, saveSegment, saveSegmentText, toPcm16 } from './saved'
import { type AudioSegment, createSegmenter, type Segmenter } from './segmenter'
import type { Dictation, DictationOptions, DictationSegment, DictationState } from './types'

const IDLE: DictationState = {
  status: 'idle',
  mode: 'continuous',
  segments: [],
  text: '',
  interim: '',
  pending: 0,
  pendingSeconds: 0,
  offline: false,
  durationMs: 0,
  error: null,
  transcript: null,
  recording: null,
  session: null,
}

/** What each segment needs to be sent (dropped once it is transcribed). */
interface Job {
  upload: () => Promise<File>
  samples?: Float32Array
  /** Aborts its request: the attempt in flight or the wait before the next. */
  abort?: AbortController
  /** Its final from the real-time socket it was committed on (its first attempt waits for it). */
  live?: Promise<LiveFinal>
}

/** Real-time mode's segmenter: a shorter pause ends an utterance (a commit), so finals come soon after speech. */
const REALTIME_SEGMENTER = { pauseMs: 300, postRollMs: 200 }

/**
 * Real-time where the transport streams and audio can be captured as PCM; segments (continuous) where
 * only PCM can be; one file where neither. An app's `mode` wins where it can be honoured.
 */
function modeOf(o: DictationOptions): DictationState['mode'] {
  const pcm = Boolean(o.source) || pcmCaptureSupported()
  if (o.mode === 'single-file' || !pcm) return 'single-file'
  if (o.mode === 'continuous') return 'continuous'
  return o.transport.openTranscriptionStream ? 'realtime' : 'continuous'
}

export function createDictation(options: DictationOptions): Dictation {
  let defaults = options
  const store = createStore<DictationState>(IDLE)
  let disposed = false
  /** Bumped by every start/cancel/recover: work of an older run is ignored. */
  let run = 0
  let jobs = new Map<number, Job>()
  let o: DictationOptions = defaults
  let source: PcmSource | null = null
  let recorder: Recorder | null = null
  let segmenter: Segmenter | null = null
  let live: LiveLink | null = null
  let whole: Int16Array<ArrayBuffer>[] = []
  let clock: ReturnType<typeof setInterval> | undefined
  let startedAt = 0
  let settled: (() => void) | null = null
  let settledPromise: Promise<void> = Promise.resolve()
  // The level of whichever capture runs, forwarded (per frame) outside the state store.
  const level = createStore(0)
  let unfollow = () => {}
  const follow = (source?: LevelSource) => {
    unfollow()
    unfollow = source?.subscribe((value) => level.set(value)) ?? (() => {})
  }

  const patchSegment = (index: number, patch: Partial<DictationSegment>) =>
    store.set((s) => derive({ ...s, segments: s.segments.map((x) => (x.index === index ? { ...x, ...patch } : x)) }))

  /** Recomputes text, pending and the final transcript from the segments. */
  function derive(s: DictationState): DictationState {
    const words: string[] = []
    let pending = 0
    let pendingSeconds = 0
    let blocked = false
    for (const seg of s.segments) {
      const waiting = seg.status !== 'done' && seg.status !== 'failed'
      if (waiting) {
        pending++
        pendingSeconds += seg.end - seg.start
        blocked = true
      } else if (!blocked && seg.text) words.push(seg.text)
    }
    const next = { ...s, text: words.join(' '), pending, pendingSeconds }
    const capturing = s.status === 'requesting' || s.status === 'listening' || s.status === 'recording'
    if (!capturing && s.status !== 'stopping' && s.status !== 'idle' && pending === 0) {
      const failed = s.segments.find((x) => x.status === 'failed')
      next.status = failed ? 'error' : 'done'
      next.error = s.error ?? failed?.error ?? null
      next.offline = false
      if (!failed) next.transcript = combine(next)
    }
    return next
  }

  function combine(s: DictationState): Transcript {
    const last = s.segments[s.segments.length - 1]
    return {
      text: s.text,
      segments: s.segments.flatMap((x) => x.segments),
      durationSec: Math.max(last?.end ?? 0, s.durationMs / 1000),
      provider: o.transport.provider,
      raw: s.segments.map((x) => ({ index: x.index, start: x.start, text: x.text })),
    }
  }

  const checkSettled = () => {
    const { status, session } = store.getSnapshot()
    // Done: nothing of it needs to survive a reload any more.
    if (status === 'done' && session && o.persist) discardSavedDictation(session).catch(() => {})
    if (status === 'done' || status === 'error' || status === 'idle') {
      // Every segment settled: the real-time socket has nothing more to say.
      void live?.finish()
      live = null
      settled?.()
      settled = null
    }
  }

  const segmentAt = (index: number) => store.getSnapshot().segments.find((x) => x.index === index)

  /** Starts queued segments while fewer than `concurrency` requests are open; none while offline. */
  function pump() {
    const s = store.getSnapshot()
    if (s.offline) return
    const limit = Math.max(1, o.concurrency ?? 2)
    // A segment committed on the real-time socket only waits for its final: no limit holds it back.
    const isLive = (index: number) => jobs.get(index)?.live !== undefined
    let open = s.segments.filter((x) => (x.status === 'sending' || x.status === 'waiting') && !isLive(x.index)).length
    for (const seg of s.segments) {
      if (seg.status !== 'queued') continue
      if (isLive(seg.index)) {
        void send(seg.index)
        continue
      }
      if (open >= limit) continue
      open++
      void send(seg.index)
    }
  }

  async function send(index: number) {
    const job = jobs.get(index)
    if (!job || segmentAt(index)?.status !== 'queued') return
    const mine = run
    const abort = new AbortController()
    job.abort = abort
    const transport = o.transport
    const seg = segmentAt(index)!
    // Taken now, not when the runner starts the attempt (a QueryClient runs it a tick later): a second
    // pump() meanwhile must not send it again.
    patchSegment(index, { status: 'sending' })
    try {
      // Retries, backoff and the wait for the connection (which costs no retry) are the kernel's.
      const transcript = await request({
        kind: 'transcribe',
        variables: { dictation: store.getSnapshot().session, segment: index, start: seg.start, end: seg.end },
        signal: abort.signal,
        runRequest: o.runRequest,
        retries: o.retries,
        retryDelayMs: o.retryDelayMs,
        network: 'wait',
        onAttempt(attempt) {
          const wasOffline = store.getSnapshot().offline
          if (wasOffline) store.update({ offline: false })
          patchSegment(index, { status: 'sending', attempts: (segmentAt(index)?.attempts ?? 0) + 1 })
          if (attempt > 1 && wasOffline) pump() // the connection is back: the queue moves again
        },
        onWait(error, reason) {
          if (reason === 'offline') store.update({ offline: true })
          patchSegment(index, { status: 'waiting', error })
        },
        async attempt(signal) {
          // First from the socket it was committed on; if that fails, another way (over HTTP where the
          // transport has it, else on a socket of its own).
          const committed = job.live
          job.live = undefined
          if (committed) return fromLive(await committed, seg.start, seg.end)
          if (!transport.transcribe && transport.openTranscriptionStream && job.samples) {
            return fromLive(await transcribeOverSocket(transport, job.samples, signal, o.language), seg.start, seg.end)
          }
          if (!transport.transcribe) {
            throw new VoiceError('provider_misconfigured', `The ${transport.provider} transport cannot transcribe`)
          }
          const file = await job.upload()
          return transport.transcribe(file, { signal, language: o.language, timestamps: o.timestamps })
        },
      })
      if (mine !== run) return
      const text = transcript.text.trim()
      const shifted = transcript.segments.length
        ? transcript.segments.map((x) => ({
            text: x.text,
            start: x.start + seg.start,
            end: x.end === null ? null : x.end + seg.start,
          }))
        : text
          ? [{ text, start: seg.start, end: seg.end }]
          : []
      jobs.delete(index) // its audio is no longer needed
      // Kept: its text replaces its audio, so that a reload loses none of what the person saw either.
      const session = store.getSnapshot().session
      if (session && o.persist) {
        const [start, end] = [seg.start, seg.end].map((x) => Math.round(x * PCM_RATE)) as [number, number]
        saveSegmentText(session, index, start, end, text, shifted).catch(() => {})
      }
      store.set((s) =>
        derive({
          ...s,
          offline: false,
          segments: s.segments.map((x) =>
            x.index === index ? { ...x, status: 'done', text, segments: shifted, error: null } : x,
          ),
        }),
      )
    } catch (caught) {
      if (mine !== run || abort.signal.aborted) return
      patchSegment(index, { status: 'failed', error: asVoiceError(caught) })
    } finally {
      if (mine === run) {
        pump()
        checkSettled()
      }
    }
  }

  /** A live final as a transcript relative to its segment's start, as a segment's upload would give. */
  function fromLive(final: LiveFinal, start: number, end: number): Transcript {
    const { text } = final
    return {
      text,
      segments: text ? [{ text, start: 0, end: end - start }] : [],
      ...(final.words && { words: final.words }),
      provider: o.transport.provider,
      raw: final,
    }
  }

  function enqueue(segment: DictationSegment, job: Job) {
    jobs.set(segment.index, job)
    store.set((s) => derive({ ...s, segments: [...s.segments, segment] }))
    pump()
  }

  function addAudioSegment(audio: AudioSegment) {
    const session = store.getSnapshot().session
    if (o.persist && session) saveSegment(session, audio.index, audio.start, audio.samples).catch(() => {})
    const committed = live?.commit(audio.start) ?? undefined
    committed?.catch(() => {}) // awaited by the segment's request; a cancelled one never is
    enqueueSamples(audio.index, audio.start, audio.samples, committed)
  }

  /** Queues 16 kHz samples that start `start` samples into the recording, as segment `index`. */
  function enqueueSamples(index: number, start: number, samples: Float32Array, committed?: Promise<LiveFinal>) {
    const input = o.transport.input
    enqueue(
      {
        index,
        start: start / PCM_RATE,
        end: (start + samples.length) / PCM_RATE,
        status: 'queued',
        text: '',
        segments: [],
        error: null,
        attempts: 0,
      },
      {
        samples,
        upload: () => toUploadable(new Blob([encodeWav(samples, PCM_RATE)], { type: 'audio/wav' }), input),
        ...(committed && { live: committed }),
      },
    )
  }

  const stopClock = () => {
    clearInterval(clock)
    clock = undefined
  }

  function release() {
    live?.close()
    live = null
    stopClock()
    follow(undefined)
    level.set(0)
    source?.cancel()
    source = null
    recorder?.dispose()
    recorder = null
  }

  function resetRun() {
    run++
    for (const job of jobs.values()) job.abort?.abort()
    jobs = new Map()
    release()
    segmenter = null
    whole = []
    settled?.()
    settled = null
  }

  const newSession = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

  function beginSettling() {
    settledPromise = new Promise<void>((resolve) => {
      settled = resolve
    })
  }

  async function start(overrides?: Partial<DictationOptions>) {
    if (disposed) return
    const status = store.getSnapshot().status
    if (['requesting', 'listening', 'recording', 'stopping', 'transcribing'].includes(status)) return
    resetRun()
    const mine = run
    o = { ...defaults, ...overrides }
    const mode = modeOf(o)
    store.set({ ...IDLE, status: 'requesting', mode, session: newSession() })
    beginSettling()
    if (mode === 'single-file') return startSingleFile(mine)

    const minSegmentMs = (o.transport.input.minSeconds ?? 0) * 1000
    const tuning = mode === 'realtime' ? { ...REALTIME_SEGMENTER, ...o.segmenter } : o.segmenter
    const seg = createSegmenter({ ...tuning, maxSegmentMs: o.maxSegmentMs ?? 30_000, minSegmentMs })
    segmenter = seg
    if (mode === 'realtime') {
      live = createLiveLink({
        transport: o.transport,
        ...(o.language && { language: o.language }),
        ...(o.runRequest && { runRequest: o.runRequest }),
        ...(o.retries !== undefined && { retries: o.retries }),
        ...(o.retryDelayMs !== undefined && { retryDelayMs: o.retryDelayMs }),
        onInterim: (interim) => {
          if (mine === run && store.getSnapshot().interim !== interim) store.update({ interim })
        },
        onOffline: (offline) => {
          if (mine === run && store.getSnapshot().offline !== offline) store.update({ offline })
        },
      })
    }
    const link = live
    const capture = o.source ? o.source() : createMicrophonePcm(o)
    source = capture
    follow(capture.level)
    try {
      await capture.start({
        samples(chunk) {
          if (mine !== run || segmenter !== seg) return
          if (o.keepRecording !== false) whole.push(toPcm16(chunk))
          // Sent before the segmenter sees it: a segment it ends with this chunk is committed after its audio.
          link?.push(chunk, seg.position)
          const { heardSpeech, speaking } = seg
          for (const audio of seg.push(chunk)) addAudioSegment(audio)
          if (o.autoStart && !heardSpeech && seg.heardSpeech) store.update({ status: 'recording' })
          if (!speaking && seg.speaking) o.onSpeechStart?.()
          if (o.autoStopSilenceMs && seg.heardSpeech && !seg.speaking && seg.silenceMs >= o.autoStopSilenceMs) {
            void stop()
          }
        },
        ended: () => {
          if (mine === run) void stop()
        },
      })
    } catch (error) {
      if (mine !== run) return
      release()
      store.set({ ...store.getSnapshot(), status: 'error', error: asVoiceError(error) })
      checkSettled()
      return
    }
    if (mine !== run) return
    startedAt = performance.now()
    clock = setInterval(() => store.update({ durationMs: Math.round(performance.now() - startedAt) }), 1000)
    store.update({ status: o.autoStart ? 'listening' : 'recording' })
  }

  async function startSingleFile(mine: number) {
    const rec = createRecorder({ ...o, input: o.transport.input })
    recorder = rec
    follow(rec.level)
    rec.subscribe(() => {
      const r = rec.getSnapshot()
      if (mine !== run) return
      if (r.status === 'recording') store.update({ status: 'recording', durationMs: r.durationMs })
      if (r.status === 'error' && r.error) {
        store.set({ ...store.getSnapshot(), status: 'error', error: r.error })
        checkSettled()
      }
    })
    try {
      await rec.start()
    } catch {
      // In the state already.
    }
  }

  async function stop(): Promise<void> {
    const mine = run
    const s = store.getSnapshot()
    if (s.status === 'requesting') {
      cancel()
      return
    }
    if (s.status !== 'recording' && s.status !== 'listening') return settledPromise
    const durationMs = Math.round(performance.now() - startedAt)
    store.update({ status: 'stopping' })
    stopClock()
    if (recorder) {
      const recording = await recorder.stop()
      if (mine !== run) return
      recorder = null
      store.update({ durationMs: recording?.durationMs ?? 0, recording: recording?.blob ?? null })
      if (recording) {
        const input = o.transport.input
        enqueue(
          {
            index: 0,
            start: 0,
            end: recording.durationMs / 1000,
            status: 'queued',
            text: '',
            segments: [],
            error: null,
            attempts: 0,
          },
          { upload: () => toUploadable(recording, input) },
        )
      }
    } else {
      await source?.stop()
      if (mine !== run) return
      source = null
      for (const audio of segmenter?.flush() ?? []) addAudioSegment(audio)
      segmenter = null
      const recording = o.keepRecording === false ? null : pcm16Wav(whole, PCM_RATE)
      whole = []
      store.update({ durationMs, recording })
    }
    store.set((x) => derive({ ...x, status: 'transcribing' }))
    checkSettled()
    return settledPromise
  }

  function cancel() {
    const session = store.getSnapshot().session
    resetRun()
    if (o.persist && session) discardSavedDictation(session).catch(() => {})
    store.set(IDLE)
  }

  function retry(index?: number) {
    const s = store.getSnapshot()
    const failed = s.segments.filter((x) => x.status === 'failed' && (index === undefined || x.index === index))
    if (!failed.length) return
    if (s.status === 'error' || s.status === 'done') beginSettling()
    store.set((x) =>
      derive({
        ...x,
        status: x.status === 'error' || x.status === 'done' ? 'transcribing' : x.status,
        error: null,
        transcript: null,
        segments: x.segments.map((y) => (failed.includes(y) ? { ...y, status: 'queued', error: null } : y)),
      }),
    )
    pump()
  }

  async function recover(saved: SavedDictation) {
    if (disposed) return
    resetRun()
    o = { ...defaults, persist: true }
    // What was transcribed on the page before goes back in its place first, as it was.
    const transcribed = saved.segments.flatMap((part): DictationSegment[] =>
      'samples' in part
        ? []
        : [
            {
              index: part.index,
              start: part.start / PCM_RATE,
              end: part.end / PCM_RATE,
              status: 'done',
              text: part.text,
              segments: part.segments,
              error: null,
              attempts: 0,
            },
          ],
    )
    store.set({ ...IDLE, status: 'transcribing', session: saved.id, segments: transcribed })
    beginSettling()
    const input = o.transport.input
    const minSamples = Math.ceil((input.minSeconds ?? 0) * PCM_RATE)
    for (const part of saved.segments) {
      if (!('samples' in part)) continue
      let samples = part.samples
      if (samples.length < minSamples) {
        const padded = new Float32Array(minSamples)
        padded.set(samples)
        samples = padded
      }
      enqueueSamples(part.index, part.start, samples)
    }
    // Segments stitched in index order, whichever list they came from.
    store.set((x) => derive({ ...x, segments: [...x.segments].sort((p, q) => p.index - q.index) }))
    checkSettled()
    return settledPromise
  }

  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    level: {
      get: level.getSnapshot,
      subscribe: (listener) => level.subscribe(() => listener(level.getSnapshot())),
    },
    start,
    stop,
    cancel,
    toggle() {
      const { status } = store.getSnapshot()
      if (status === 'recording' || status === 'listening') void stop()
      else if (status === 'requesting') cancel()
      else if (status === 'idle' || status === 'done' || status === 'error') void start()
    },
    configure(next) {
      defaults = next
      // A dictation under way keeps its capture options; what it sends from now on follows the new ones.
      if (store.getSnapshot().status !== 'idle') o = { ...o, ...next }
    },
    retry,
    recover,
    dispose() {
      disposed = true
      cancel()
    },
  }
}
