// 16 kHz samples played as if captured: a recording's audio fed through the same pipeline as the
// microphone, at real time or faster (files, recovery, tests, benches).

import { PCM_RATE } from './resampler'
import type { PcmSink, PcmSource } from './source'

export interface SamplesPcmOptions {
  /** Times real time. Default 1; `Infinity` delivers everything at once. */
  speed?: number
  /** Milliseconds of audio per delivered chunk. Default 100. */
  chunkMs?: number
}

export function createSamplesPcm(samples: Float32Array, options: SamplesPcmOptions = {}): PcmSource {
  const speed = options.speed ?? 1
  const chunk = Math.max(1, Math.round(((options.chunkMs ?? 100) * PCM_RATE) / 1000))
  let timer: ReturnType<typeof setTimeout> | undefined
  let at = 0
  let sink: PcmSink | undefined
  const halt = () => {
    clearTimeout(timer)
    timer = undefined
    sink = undefined
  }
  const tick = () => {
    if (!sink) return
    const out = sink
    if (at >= samples.length) {
      halt()
      out.ended?.()
      return
    }
    out.samples(samples.slice(at, at + chunk))
    at += chunk
    timer = setTimeout(tick, Number.isFinite(speed) ? (chunk / PCM_RATE / speed) * 1000 : 0)
  }
  return {
    async start(target) {
      sink = target
      at = 0
      timer = setTimeout(tick, 0)
    },
    async stop() {
      halt()
    },
    cancel: halt,
  }
}
