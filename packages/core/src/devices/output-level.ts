// The level of what a streaming player is playing, for visualizers: read from an AnalyserNode on
// every animation frame while someone listens, never through a state store.
import type { LevelSource } from '../capture/types'
import type { StreamingPlayer } from '../playback'
import { createStore } from '../store'

type Capturable = HTMLMediaElement & { captureStream?: () => MediaStream }

/** RMS of `data` as 0…1 over −60…0 dBFS (the recorder's level scale). */
export function levelOf(data: Float32Array): number {
  let sum = 0
  for (const x of data) sum += x * x
  const db = 10 * Math.log10(sum / data.length || 1e-12)
  return Math.min(1, Math.max(0, (db + 60) / 60))
}

/**
 * A `LevelSource` for a player's output. Web Audio playback is tapped where it leaves the player's
 * gain node; element playback (MediaSource, blob) through `captureStream()` where the browser has it
 * (Chromium). Where neither applies (WebKit's element playback), the level stays 0.
 */
export function createOutputLevel(player: Pick<StreamingPlayer, 'getSnapshot' | 'output'>): LevelSource {
  const level = createStore(0)
  let taps = new WeakMap<object, AnalyserNode>()
  const streams = new WeakMap<HTMLMediaElement, MediaStream>()
  let own: AudioContext | undefined
  let frame = 0
  let data = new Float32Array(0)

  const analyser = (): AnalyserNode | null => {
    const { engine, status } = player.getSnapshot()
    if (!engine || (status !== 'playing' && status !== 'buffering')) return null
    const { audio, context, node } = player.output()
    if (engine === 'webaudio') {
      if (!context || !node) return null
      let tap = taps.get(node)
      if (!tap) {
        tap = context.createAnalyser()
        tap.fftSize = 1024
        node.connect(tap) // a side branch: what is heard is unchanged
        taps.set(node, tap)
      }
      return tap
    }
    const element = audio as Capturable | undefined
    if (!element || typeof element.captureStream !== 'function' || typeof AudioContext !== 'function') return null
    if (!taps.get(element)) {
      // The captured stream has an audio track only once the element plays: until then, try again next frame.
      let stream = streams.get(element)
      if (!stream) {
        stream = element.captureStream()
        streams.set(element, stream)
      }
      if (!stream.getAudioTracks().length) return null
      own ??= new AudioContext()
      const tap = own.createAnalyser()
      tap.fftSize = 1024
      own.createMediaStreamSource(stream).connect(tap)
      taps.set(element, tap)
    }
    if (own?.state === 'suspended') own.resume().catch(() => {})
    return taps.get(element) ?? null
  }

  const read = () => {
    const tap = analyser()
    if (tap) {
      if (data.length !== tap.fftSize) data = new Float32Array(tap.fftSize)
      tap.getFloatTimeDomainData(data)
      level.set(levelOf(data))
    } else level.set(0)
    frame = requestAnimationFrame(read)
  }

  let listeners = 0
  return {
    get: level.getSnapshot,
    subscribe(listener) {
      const off = level.subscribe(() => listener(level.getSnapshot()))
      if (listeners++ === 0 && typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(read)
      let on = true
      return () => {
        if (!on) return
        on = false
        off()
        if (--listeners > 0) return
        cancelAnimationFrame(frame)
        frame = 0
        level.set(0)
        // Nobody listens: release the context of element taps (made again on the next subscribe).
        own?.close().catch(() => {})
        own = undefined
        taps = new WeakMap()
      }
    },
  }
}
