// The level meter: an AnalyserNode read on requestAnimationFrame, published to subscribers only.
import type { LevelSource } from './types'

export interface LevelMeter {
  source: LevelSource
  /** Starts reading `stream` through `context` (the recorder's one AudioContext). */
  attach(context: AudioContext, stream: MediaStream): void
  /** Stops the frame loop and publishes 0. */
  detach(): void
}

export function createLevelMeter(): LevelMeter {
  let value = 0
  let frame = 0
  let analyser: AnalyserNode | undefined
  let data = new Float32Array(0)
  const listeners = new Set<(level: number) => void>()
  const publish = (level: number) => {
    value = level
    for (const listener of [...listeners]) listener(level)
  }
  const read = () => {
    if (!analyser) return
    analyser.getFloatTimeDomainData(data)
    let sum = 0
    for (const x of data) sum += x * x
    const db = 10 * Math.log10(sum / data.length || 1e-12)
    publish(Math.min(1, Math.max(0, (db + 60) / 60)))
    frame = requestAnimationFrame(read)
  }
  return {
    source: {
      get: () => value,
      subscribe(listener) {
        listeners.add(listener)
        return () => {
          listeners.delete(listener)
        }
      },
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
      publish(0)
    },
  }
}
