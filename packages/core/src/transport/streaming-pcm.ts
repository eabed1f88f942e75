// Audio for a streaming socket: the 16 kHz float samples the PCM pipeline captures, as PCM16 little-endian
// at the provider's rate (resampled with the streaming resampler, its state carried across chunks), in
// base64 frames of a fixed number of samples. Part of the real-time chunk, loaded on first use.
import { createResampler, PCM_RATE, type Resampler } from '../capture/pcm/resampler'

export interface PcmFramer {
  /** The next 16 kHz samples; returns the frames they complete (base64), possibly none. */
  push(samples: Float32Array): string[]
  /** The partial frame, if any (before a commit). */
  flush(): string[]
  /** At the end: the samples the resampler still holds, then the partial frame. */
  end(): string[]
  /** Samples produced so far at the output rate (sent or in the partial frame). */
  readonly total: number
}

/** Base64 of bytes, in slices small enough for `String.fromCharCode`'s argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function createPcmFramer(outputRate: number, frameSamples: number): PcmFramer {
  const resampler: Resampler | undefined = outputRate === PCM_RATE ? undefined : createResampler(PCM_RATE, outputRate)
  const bytes = new Uint8Array(frameSamples * 2)
  const view = new DataView(bytes.buffer)
  let filled = 0
  let total = 0

  const take = (count: number) => toBase64(bytes.slice(0, count * 2))
  const write = (samples: Float32Array): string[] => {
    const frames: string[] = []
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i] || 0))
      view.setInt16(filled * 2, Math.round(s < 0 ? s * 0x8000 : s * 0x7fff), true)
      if (++filled === frameSamples) {
        frames.push(take(filled))
        filled = 0
      }
    }
    total += samples.length
    return frames
  }
  const flush = (): string[] => {
    if (!filled) return []
    const frame = take(filled)
    filled = 0
    return [frame]
  }

  return {
    push: (samples) => write(resampler ? resampler.push(samples) : samples),
    flush,
    end: () => [...(resampler ? write(resampler.flush()) : []), ...flush()],
    get total() {
      return total
    },
  }
}
