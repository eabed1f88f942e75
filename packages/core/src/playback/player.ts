// createStreamingPlayer: a queue of utterances, each an AudioStream played while it arrives
// by the first engine that can play its type here.
import type { PlaybackEngine } from '../capabilities'
import { applySinkId, sinkSupport } from '../devices/sink'
import { isVoiceError, VoiceError } from '../errors'
import type { VoiceStatus } from '../status'
import { createStore, type ReadableStore } from '../store'
import { type AudioStream, normaliseAudioMime } from '../transport'
import { isNotAllowed, onNextGesture } from './autoplay'
import { blobEngine } from './engines/blob'
import { mseEngine } from './engines/mse'
import { warmUpDecoder, webaudioEngine } from './engines/webaudio'
import type { Engine, EngineIO, EngineSession } from './types'

/** The player's subset of the one status vocabulary (`VoiceStatus`). */
export type PlayerStatus = Extract<
  VoiceStatus,
  'idle' | 'loading' | 'buffering' | 'playing' | 'paused' | 'blocked' | 'done' | 'error'
>

export interface PlayerState {
  /**
   * idle (nothing to play) → loading (waiting for the stream) → buffering (receiving, not audible yet,
   * or starved) ⇄ playing → done (the queue ran out); paused by pause(); blocked when the browser
   * refused to start audio (see unlock()); error when an utterance failed.
   */
  status: PlayerStatus
  /** The engine playing the current utterance. */
  engine: PlaybackEngine | null
  /** Seconds into the current utterance (updated 4 times a second). */
  currentTime: number
  /** Seconds of the current utterance held in memory: [bufferedFrom, bufferedUntil]. */
  bufferedFrom: number
  bufferedUntil: number
  /** Milliseconds from the request (the utterance's turn) to its first byte, and to its first audible frame. */
  firstByteMs: number | null
  firstAudioMs: number | null
  /**
   * Times the current utterance's output ran dry after it had started (it waited for data mid-way):
   * 0 for an utterance heard without a gap.
   */
  underruns: number
  /** Utterances waiting after the current one. */
  queued: number
  volume: number
  playbackRate: number
  error: VoiceError | null
}

/** A stream, or a function that requests one when its turn comes (aborted on stop or interrupt). */
export type AudioSource = AudioStream | ((signal: AbortSignal) => AudioStream | Promise<AudioStream>)

export interface PlayOptions {
  /** Stop the current utterance and drop the queued ones, then play this one. */
  interrupt?: boolean
  /** Aborting it stops this utterance (or takes it out of the queue); the others go on. */
  signal?: AbortSignal
}

export interface StreamingPlayerOptions {
  /**
   * Engines allowed, tried in the order given. Default: webaudio (first audio within a frame group of the
   * first byte), mse, managed-mse, blob — except that MP3 goes to a MediaSource engine first while the rate
   * is not 1 (the audio element keeps the voice's pitch; Web Audio does not) or when `sinkId` names a
   * speaker that only the audio element can reach.
   */
  engines?: PlaybackEngine[]
  volume?: number
  playbackRate?: number
  /** The speaker to play through (`deviceId` of an `audiooutput`); default '' (the system's). */
  sinkId?: string
}

export interface StreamingPlayer extends ReadableStore<PlayerState> {
  /** Queues an utterance; resolves when it has played (undefined) or failed or was stopped (the error). Never rejects. */
  play(source: AudioSource, options?: PlayOptions): Promise<VoiceError | undefined>
  /** Call synchronously inside a click or key handler: lets audio start later without another gesture, and resumes blocked playback. */
  unlock(): void
  pause(): void
  /** Resumes after pause(); from a gesture it also resumes blocked playback. */
  resume(): void
  /** Stops the current utterance, drops the queue and aborts their downloads. */
  stop(): void
  setVolume(volume: number): void
  setPlaybackRate(rate: number): void
  /** Stops and releases the audio element and AudioContext. The player can still be used afterwards. */
  dispose(): void
  /** Plays through another speaker from now on; rejects with `not_supported` where the browser cannot choose. */
  setSinkId(sinkId: string): Promise<void>
  /** The audio element and the AudioContext's output node in use, for visualizers (read only). */
  output(): { audio?: HTMLAudioElement; context?: AudioContext; node?: AudioNode }
}

interface Current {
  stop: AbortController
  session?: EngineSession
  begin?: () => Promise<unknown>
}

const aborted = () => new VoiceError('aborted', 'Playback was stopped')

const ENGINES: Record<PlaybackEngine, Engine> = {
  webaudio: webaudioEngine,
  mse: mseEngine(false),
  'managed-mse': mseEngine(true),
  blob: blobEngine,
}
const DEFAULT_ENGINES: PlaybackEngine[] = ['webaudio', 'mse', 'managed-mse', 'blob']
const onElement = (engine: Engine) => engine.id === 'mse' || engine.id === 'managed-mse'

export function createStreamingPlayer(options: StreamingPlayerOptions = {}): StreamingPlayer {
  const engines = (options.engines ?? DEFAULT_ENGINES).map((id) => ENGINES[id])
  const cleared = {
    engine: null,
    currentTime: 0,
    bufferedFrom: 0,
    bufferedUntil: 0,
    firstByteMs: null,
    firstAudioMs: null,
    underruns: 0,
    error: null,
  }
  const store = createStore<PlayerState>({
    ...cleared,
    status: 'idle',
    queued: 0,
    volume: options.volume ?? 1,
    playbackRate: options.playbackRate ?? 1,
  })
  const set = store.update
  const state = store.getSnapshot
  interface Item {
    source: AudioSource
    done: (error?: VoiceError) => void
    signal?: AbortSignal
  }
  const queue: Item[] = []
  let paused = false
  let pumping = false
  let current: Current | undefined
  let audio: HTMLAudioElement | undefined
  let context: AudioContext | undefined
  let gain: GainNode | undefined
  let offGesture: (() => void) | undefined
  let sinkId = options.sinkId ?? ''
  const sink = (target: HTMLMediaElement | AudioContext) => {
    if (sinkId) applySinkId(target, sinkId).catch(() => {})
  }
  /** The engine for a stream of type `mime` (see `StreamingPlayerOptions.engines`). */
  const engineFor = (mime: string) => {
    const able = engines.filter((e) => e.supports(mime))
    const routes = sinkSupport()
    const element = !options.engines && (state().playbackRate !== 1 || (sinkId && routes.element && !routes.context))
    return (element && able.find(onElement)) || able[0]
  }

  const getAudio = () => {
    if (!audio) {
      audio = new Audio()
      sink(audio)
    }
    audio.volume = state().volume
    audio.defaultPlaybackRate = audio.playbackRate = state().playbackRate
    return audio
  }
  const getContext = (): [AudioContext, AudioNode] => {
    if (!context) {
      context = new AudioContext()
      gain = context.createGain()
      gain.connect(context.destination)
      sink(context)
    }
    gain!.gain.value = state().volume
    return [context, gain!]
  }
  const ungesture = () => {
    offGesture?.()
    offGesture = undefined
  }

  /** Starts (or restarts) output of the current utterance; a refusal means blocked until a gesture. */
  const begin = () => {
    const c = current
    if (!c?.begin || paused) return
    c.begin().then(
      () => {
        if (current !== c || state().status !== 'blocked') return
        ungesture()
        // The element's 'playing' (or the context's first tick) came while blocked: it plays now.
        set({ status: 'playing', error: null })
      },
      (error) => {
        if (current !== c || !isNotAllowed(error)) return
        const message = 'Audio needs a user gesture'
        set({ status: 'blocked', error: new VoiceError('playback_blocked', message, { cause: error }) })
        offGesture ??= onNextGesture(() => {
          offGesture = undefined
          begin()
        })
      },
    )
  }

  const run = async ({ source, signal: caller }: Item): Promise<VoiceError | undefined> => {
    const control = new AbortController()
    const { signal } = control
    if (caller?.aborted) return aborted()
    caller?.addEventListener('abort', () => control.abort(caller.reason), { once: true, signal })
    const c: Current = { stop: control }
    const start = performance.now()
    const since = (at = performance.now()) => Math.round(at - start)
    let failure: unknown
    let timer: ReturnType<typeof setInterval> | undefined
    current = c
    set({ ...cleared, status: paused ? 'paused' : 'loading', queued: queue.length })
    try {
      let stream: AudioStream
      if (typeof source === 'function') {
        // A function may answer a stream or a promise of one (or throw): either way a promise here.
        const request = Promise.resolve().then(() => source(signal))
        request.then(
          (late) => {
            if (signal.aborted) late.body.cancel().catch(() => {})
          },
          () => {},
        )
        stream = await new Promise<AudioStream>((resolve, reject) => {
          request.then(resolve, reject)
          signal.addEventListener('abort', () => reject(signal.reason))
        })
      } else stream = source
      const reader = stream.body.getReader()
      signal.addEventListener('abort', () => reader.cancel(signal.reason).catch(() => {}))
      const base = normaliseAudioMime(stream.mimeType)
      const engine = engineFor(base)
      if (!engine) throw new VoiceError('unsupported_playback', `Cannot play ${base}`)
      const io: EngineIO = {
        signal,
        rate: state().playbackRate,
        audio: getAudio,
        context: getContext,
        async read() {
          try {
            for (;;) {
              const { done, value } = await reader.read()
              signal.throwIfAborted()
              if (done) return
              if (!value.length) continue
              if (state().firstByteMs === null) set({ firstByteMs: since() })
              return value
            }
          } catch (error) {
            signal.throwIfAborted()
            failure ??= error
          }
        },
        fail: (reason) => {
          failure ??= reason
        },
        start(fn) {
          c.begin = fn
          begin()
        },
        playing(at) {
          if (signal.aborted) return
          if (state().firstAudioMs === null) set({ firstAudioMs: since(at) })
          if (paused) return
          // Audible after all (a context that started later than it was taken for refused): not blocked.
          if (state().status === 'blocked') {
            ungesture()
            set({ status: 'playing', error: null })
          } else set({ status: 'playing' })
        },
        waiting() {
          // Output ran dry after it had started: an underrun, counted.
          if (!signal.aborted && state().status === 'playing')
            set({ status: 'buffering', underruns: state().underruns + 1 })
        },
      }
      set({ engine: engine.id, status: paused ? 'paused' : 'buffering' })
      const session = engine.start(io, base + (/;.*/.exec(stream.mimeType)?.[0] ?? ''))
      c.session = session
      const tick = () => {
        if (signal.aborted) return
        const [currentTime, bufferedFrom, bufferedUntil] = session.time()
        set({ currentTime, bufferedFrom, bufferedUntil })
      }
      timer = setInterval(tick, 250)
      await session.done
      tick()
      if (failure !== undefined) {
        const why = failure instanceof Error ? failure.message : String(failure)
        throw new VoiceError('playback_failed', `Audio stream broke off: ${why}`, { cause: failure })
      }
      if (!queue.length) set({ status: 'done' })
    } catch (error) {
      if (signal.aborted) {
        // Stopped through its own signal: what follows in the queue plays; with nothing left, idle.
        if (caller?.aborted && current === c && !queue.length) set({ ...cleared, status: 'idle', queued: 0 })
        return aborted()
      }
      const e = isVoiceError(error)
        ? error
        : new VoiceError('playback_failed', (error as Error | undefined)?.message, { cause: error })
      set({ status: 'error', error: e })
      return e
    } finally {
      clearInterval(timer)
      control.abort()
      ungesture()
      if (current === c) current = undefined
    }
  }

  const pump = async () => {
    if (pumping) return
    pumping = true
    for (let item = queue.shift(); item; item = queue.shift()) item.done(await run(item))
    pumping = false
  }

  const drop = () => {
    for (const item of queue.splice(0)) item.done(aborted())
    current?.stop.abort()
  }

  const stop = () => {
    drop()
    paused = false
    set({ ...cleared, status: 'idle', queued: 0 })
  }

  return {
    getSnapshot: state,
    subscribe: store.subscribe,
    play(source, { interrupt, signal } = {}) {
      return new Promise((done) => {
        if (interrupt) drop()
        if (interrupt || (!current && !queue.length)) paused = false
        const item: Item = { source, done, signal }
        queue.push(item)
        set({ queued: queue.length })
        // Aborted while still queued: out of the queue at once (once running, run() stops it).
        signal?.addEventListener(
          'abort',
          () => {
            const at = queue.indexOf(item)
            if (at < 0) return
            queue.splice(at, 1)
            set({ queued: queue.length })
            done(aborted())
          },
          { once: true },
        )
        void pump()
      })
    },
    unlock() {
      const element = getAudio()
      // play() inside the gesture marks the element as allowed to play (Safari); no source, nothing sounds.
      if (!element.getAttribute('src')) element.play().catch(() => {})
      // Where MP3 goes through Web Audio, create and start the AudioContext now, inside the gesture,
      // and load its decoder while the request is on its way.
      if (!paused && engineFor('audio/mpeg')?.id === 'webaudio') {
        const [audioContext] = getContext()
        audioContext.resume().catch(() => {})
        warmUpDecoder(audioContext)
      }
      if (state().status === 'blocked') begin()
    },
    pause() {
      if (!current || paused) return
      paused = true
      audio?.pause()
      context?.suspend().catch(() => {})
      set({ status: 'paused' })
    },
    resume() {
      if (paused && current) set({ status: current.session ? 'buffering' : 'loading' })
      paused = false
      begin()
    },
    stop,
    setVolume(volume) {
      set({ volume })
      if (audio) audio.volume = volume
      if (gain) gain.gain.value = volume
    },
    setPlaybackRate(playbackRate) {
      set({ playbackRate })
      if (audio) audio.defaultPlaybackRate = audio.playbackRate = playbackRate
      current?.session?.rate?.(playbackRate)
    },
    dispose() {
      stop()
      ungesture()
      audio = undefined
      context?.close().catch(() => {})
      context = gain = undefined
    },
    async setSinkId(id) {
      sinkId = id
      await Promise.all([audio, context].map((target) => target && applySinkId(target, id)))
    },
    output: () => ({ audio, context, node: gain }),
  }
}
