// The level meter: an AnalyserNode read on requestAnimationFrame, published to subscribers only.
import { createStore } from '../store'
import type { LevelSource } from './types'

export interface LevelMeter {
  source: LevelSource
  /** Starts reading `stream` through `context` (the recorder's one AudioContext). */
  attach(context: AudioContext, stream: MediaStream): void
  /** Stops the frame loop and publishes 0. */
  detach(): void
}

export function createLevelMeter(): LevelMeter {
  const level = createStore(0)
  let frame = 0
  let analyser: AnalyserNode | undefined
  let data = new Float32Array(0)
  const read = () => {
    if (!analyser) return
    analyser.getFloatTimeDomainData(data)
    let sum = 0
    for (const x of data) sum += x * x
    const db = 10 * Math.log10(sum / data.length || 1e-12)
    level.set(Math.min(1, Math.max(0, (db + 60) / 60)))
    frame = requestAnimationFrame(read)
  }
  return {
    source: {
      get: level.getSnapshot,
      subscribe: (listener) => level.subscribe(() => listener(level.getSnapshot())),
    },
    attach(context, stream) {
      analyser = context.createAnalyser()
      analyser.fftSize = 1024
      data = new Float32Array(analyser.fftSize)
      context.createMediaStreamSource(stream).connect(analyser)
      frame = requestAnimationFrame(read)
    },
    detach() {
      if (frame) cancelAnimationFrame(frame)
      frame = 0
      if (!analyser) return
      analyser = undefined
      level.set(0)
    },
  }
}
