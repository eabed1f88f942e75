// createRecorder: getUserMedia + MediaRecorder behind a small state store, with the
// guarantee that every track is stopped and the AudioContext closed on stop, cancel,
// error and dispose.
import { VoiceError } from '../errors'
import { createStore } from '../store'
import type { TransportInput } from '../transport/types'
import { toCaptureError } from './errors'
import { createLevelMeter } from './level'
import { chooseRecordingType, recordedType } from './mime'
import type { Recorder, RecorderOptions, RecorderState, Recording } from './types'
import { WAV_BYTES_PER_SECOND } from './upload'

type EndedBy = Recording['endedBy']

const IDLE: RecorderState = { status: 'idle', durationMs: 0, error: null, recording: null }

/** See `RecorderOptions.maxDurationMs`. */
export function defaultMaxDurationMs(input?: TransportInput): number {
  return input ? Math.floor((input.maxBytes * 0.95) / WAV_BYTES_PER_SECOND) * 1000 : 600_000
}

/** One microphone opening, from `start()` until it is released. */
interface Session {
  /** Ends it: with a reason, keeping what was recorded; without one, discarding it (cancel). */
  end(why?: EndedBy): Promise<Recording | null>
  pause(): void
  resume(): void
}

export function createRecorder(defaults: RecorderOptions = {}): Recorder {
  const store = createStore<RecorderState>(IDLE)
  const update = store.update
  const meter = createLevelMeter()
  let session: Session | null = null
  let disposed = false

  async function start(overrides?: RecorderOptions): Promise<void> {
    if (disposed) throw new VoiceError('not_supported', 'disposed')
    if (session) return
    const o = { ...defaults, ...overrides }
    const limit = o.maxDurationMs ?? defaultMaxDurationMs(o.input)
    const maxBytes = o.maxBytes ?? o.input?.maxBytes ?? Infinity
    let stream: MediaStream | undefined
    let media: MediaRecorder | undefined
    let context: AudioContext | undefined
    let requested: string | undefined
    let endedBy: EndedBy | undefined
    const chunks: Blob[] = []
    let bytes = 0
    let active = 0 // ms recorded before the last resume
    let since = 0 // when recording last resumed; 0 while not recording
    let timers: ReturnType<typeof setTimeout>[] = []
    let resolve!: (recording: Recording | null) => void
    const done = new Promise<Recording | null>((r) => {
      resolve = r
    })

    const elapsed = () => active + (since && performance.now() - since)
    const freeze = () => {
      active = elapsed()
      since = 0
      for (const timer of timers) clearTimeout(timer)
      timers = []
    }
    const run = () => {
      since = performance.now()
      timers = [
        setInterval(() => update({ durationMs: Math.round(elapsed()) }), 1000),
        setTimeout(() => end('max-duration'), limit - active),
      ]
    }
    /** Stops every track, closes the AudioContext, settles `done`, publishes `state`. */
    const finish = (state: RecorderState, recording: Recording | null) => {
      freeze()
      if (media) media.ondataavailable = media.onerror = media.onstop = null
      if (media?.state !== 'inactive') media?.stop()
      for (const track of stream?.getTracks() ?? []) {
        track.onended = null
        track.stop()
      }
      if (context) {
        meter.detach()
        context.close().catch(() => {})
      }
      if (session === self) session = null
      store.set(state)
      resolve(recording)
    }
    const fail = (error: unknown) => {
      const voiceError = toCaptureError(error)
      finish({ ...IDLE, status: 'error', error: voiceError }, null)
      return voiceError
    }
    /** MediaRecorder's `stop` event: the last chunk is in. */
    const settle = () => {
      if (session !== self || !media) return
      const mimeType = recordedType(chunks, media.mimeType, requested)
      freeze()
      const recording: Recording = {
        blob: new Blob(chunks, { type: mimeType }),
        mimeType,
        durationMs: Math.round(active),
        endedBy: endedBy ?? 'device-ended',
      }
      finish({ status: 'done', durationMs: recording.durationMs, error: null, recording }, recording)
    }
    const end = (why?: EndedBy): Promise<Recording | null> => {
      if (session !== self || endedBy) return done
      if (!why || !media) {
        finish(IDLE, null) // cancel, or stop while the browser is still asking: nothing recorded
        return done
      }
      endedBy = why
      freeze()
      update({ status: 'stopping', durationMs: Math.round(active) })
      if (media.state !== 'inactive') media.stop()
      // An engine that never fires `stop` must not keep the microphone open.
      timers.push(setTimeout(settle, 5000))
      return done
    }
    const self: Session = {
      end,
      pause() {
        if (media?.state !== 'recording' || endedBy) return
        media.pause()
        freeze()
        update({ status: 'paused', durationMs: Math.round(active) })
      },
      resume() {
        if (media?.state !== 'paused' || endedBy) return
        media.resume()
        run()
        update({ status: 'recording' })
      },
    }
    session = self
    store.set({ ...IDLE, status: 'requesting' })

    try {
      const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices
      if (typeof devices?.getUserMedia !== 'function' || typeof MediaRecorder !== 'function') {
        throw new VoiceError('not_supported', 'getUserMedia or MediaRecorder missing')
      }
      const opened = await devices.getUserMedia({
        audio: {
          deviceId: o.deviceId ? { exact: o.deviceId } : undefined,
          echoCancellation: o.echoCancellation ?? true,
          noiseSuppression: o.noiseSuppression ?? true,
        },
      })
      if (session !== self) {
        // Cancelled while the browser asked: close what it opened, touch nothing else.
        for (const track of opened.getTracks()) track.stop()
        return
      }
      stream = opened
      requested = o.mimeType ?? chooseRecordingType(o.input, (type) => MediaRecorder.isTypeSupported(type))
      media = new MediaRecorder(stream, { mimeType: requested, audioBitsPerSecond: o.audioBitsPerSecond })
      media.ondataavailable = ({ data }) => {
        if (!data.size) return
        chunks.push(data)
        bytes += data.size
        // Stop while the next chunk (about the size of this one) still fits.
        if (bytes + data.size > maxBytes) end('max-bytes')
      }
      media.onstop = settle
      media.onerror = (event) => fail((event as Event & { error?: unknown }).error ?? event)
      // The property, not addEventListener: Firefox does not deliver `ended` to listeners on these tracks.
      for (const track of stream.getTracks()) track.onended = () => end('device-ended')
      if (o.level !== false && typeof AudioContext === 'function') {
        try {
          context = new AudioContext()
          meter.attach(context, stream)
          context.resume().catch(() => {})
        } catch {
          // No level meter; the recording itself does not need it.
        }
      }
      media.start(o.timeslice ?? 1000)
      run()
      update({ status: 'recording' })
    } catch (error) {
      if (session !== self) return
      throw fail(error)
    }
  }

  const cancel = () => (session ? void session.end() : store.set(IDLE))

  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    level: meter.source,
    start,
    stop: () => session?.end('stop') ?? Promise.resolve(store.getSnapshot().recording),
    cancel,
    pause: () => session?.pause(),
    resume: () => session?.resume(),
    dispose() {
      disposed = true
      cancel()
    },
  }
}
