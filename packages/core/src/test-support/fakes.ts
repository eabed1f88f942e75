// Stand-ins for the two browser-bound parts, for session tests in Node: a recorder that "records"
// given bytes, and a player that reads each stream to its end. They follow the real ones' contracts
// (state transitions, never-rejecting play(), stop() aborting the source) and count what was used.
import type { LevelSource, Recorder, RecorderState, Recording } from '../capture/types'
import { VoiceError } from '../errors'
import type { AudioSource, PlayerState, PlayOptions, StreamingPlayer } from '../playback'
import { createStore } from '../store'

export interface FakeRecorder extends Recorder {
  /** Microphone openings, and how many are open now. */
  opened: number
  open: number
  /** What the next stop() returns. */
  next: { bytes: Uint8Array; mimeType: string; durationMs: number }
  /** Makes the next start() fail like a denied permission. */
  failNext?: VoiceError
}

const IDLE: RecorderState = { status: 'idle', durationMs: 0, error: null, recording: null }

export function fakeRecorder(bytes: Uint8Array, durationMs = 2000, mimeType = 'audio/wav'): FakeRecorder {
  const store = createStore<RecorderState>(IDLE)
  const level: LevelSource = { get: () => 0, subscribe: () => () => {} }
  const release = () => {
    fake.open = 0
  }
  const fake: FakeRecorder = {
    opened: 0,
    open: 0,
    next: { bytes, mimeType, durationMs },
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    level,
    async start() {
      if (fake.open) return
      store.set({ ...IDLE, status: 'requesting' })
      await Promise.resolve()
      const failure = fake.failNext
      if (failure) {
        fake.failNext = undefined
        store.set({ ...IDLE, status: 'error', error: failure })
        throw failure
      }
      fake.opened++
      fake.open = 1
      store.update({ status: 'recording' })
    },
    async stop() {
      if (!fake.open) return null
      store.update({ status: 'stopping' })
      await Promise.resolve()
      release()
      const { bytes: data, mimeType: type, durationMs: ms } = fake.next
      const recording: Recording = {
        blob: new Blob([data as Uint8Array<ArrayBuffer>], { type }),
        mimeType: type,
        durationMs: ms,
        endedBy: 'stop',
      }
      store.set({ status: 'done', durationMs: ms, error: null, recording })
      return recording
    },
    cancel() {
      release()
      store.set(IDLE)
    },
    pause() {
      if (store.getSnapshot().status === 'recording') store.update({ status: 'paused' })
    },
    resume() {
      if (store.getSnapshot().status === 'paused') store.update({ status: 'recording' })
    },
    dispose() {
      fake.cancel()
    },
  }
  return fake
}

export interface FakePlayer extends StreamingPlayer {
  /** The bytes of every utterance that played to its end. */
  played: Uint8Array[]
}

/** A player that "plays" a stream by reading it to its end; stop() aborts the source and cancels the stream. */
export function fakePlayer(): FakePlayer {
  const store = createStore<PlayerState>({
    status: 'idle',
    engine: null,
    currentTime: 0,
    bufferedFrom: 0,
    bufferedUntil: 0,
    underruns: 0,
    firstByteMs: null,
    firstAudioMs: null,
    queued: 0,
    volume: 1,
    playbackRate: 1,
    error: null,
  })
  let controller = new AbortController()
  let chain: Promise<unknown> = Promise.resolve()
  const played: Uint8Array[] = []

  async function playOne(source: AudioSource, signal: AbortSignal): Promise<VoiceError | undefined> {
    if (signal.aborted) return new VoiceError('aborted')
    store.update({ status: 'loading', error: null })
    try {
      const stream = typeof source === 'function' ? await source(signal) : source
      const reader = stream.body.getReader()
      signal.addEventListener('abort', () => void reader.cancel().catch(() => {}))
      const parts: Uint8Array[] = []
      store.update({ status: 'playing' })
      for (;;) {
        const { done, value } = await reader.read()
        if (signal.aborted) throw new VoiceError('aborted')
        if (done) break
        parts.push(value)
      }
      played.push(new Uint8Array(Buffer.concat(parts)))
      store.update({ status: 'done' })
      return undefined
    } catch (cause) {
      const error = cause instanceof VoiceError ? cause : new VoiceError('playback_failed', String(cause))
      if (error.code === 'aborted' || signal.aborted) return new VoiceError('aborted')
      store.update({ status: 'error', error })
      return error
    }
  }

  const stop = () => {
    controller.abort()
    controller = new AbortController()
    store.update({ status: 'idle', error: null })
  }
  return {
    played,
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    play(source: AudioSource, options?: PlayOptions) {
      if (options?.interrupt) stop()
      const { signal } = controller
      const result = chain.then(() => playOne(source, signal))
      chain = result
      return result
    },
    unlock() {},
    pause: () => store.update({ status: 'paused' }),
    resume: () => store.update({ status: 'playing' }),
    stop,
    setVolume: (volume) => store.update({ volume }),
    setPlaybackRate: (playbackRate) => store.update({ playbackRate }),
    setSinkId: async () => {},
    output: () => ({}),
    dispose: stop,
  }
}
