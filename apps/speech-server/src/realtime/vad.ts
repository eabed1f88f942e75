// A plain energy detector on 10 ms frames of 16 kHz audio: speech starts after `minSpeechMs` of frames above the
// threshold, and stops after `silenceDurationMs` of frames below it.

export const FRAME = 160

export interface TurnDetection {
  /** 0..1, as the providers spell it: 0.5 is −40 dBFS, each 0.1 is 4 dB (0.1 → −56 dBFS, 0.9 → −24 dBFS). */
  threshold: number
  prefixPaddingMs: number
  silenceDurationMs: number
  minSpeechMs: number
}

export function thresholdDb(threshold: number): number {
  return -60 + 40 * threshold
}

/** The frame's level in dBFS (−Infinity for digital silence). */
export function frameDb(frame: Int16Array): number {
  let sum = 0
  for (let i = 0; i < frame.length; i++) sum += frame[i]! * frame[i]!
  return 10 * Math.log10(sum / frame.length / (32768 * 32768))
}

export type VadStep = 'speech-started' | 'speech-stopped' | undefined

export class EnergyVad {
  inSpeech = false
  private run = 0
  private silence = 0

  constructor(private config: TurnDetection) {}

  /** Frames of speech that started the current turn (the turn began that many frames ago, this one included). */
  get onsetFrames(): number {
    return this.run
  }

  /** One frame; `speech` is whether its level is above the threshold. */
  step(speech: boolean): VadStep {
    if (!this.inSpeech) {
      this.run = speech ? this.run + 1 : 0
      if (this.run * 10 >= Math.max(10, this.config.minSpeechMs)) {
        this.inSpeech = true
        this.silence = 0
        return 'speech-started'
      }
      return undefined
    }
    this.silence = speech ? 0 : this.silence + 1
    if (this.silence * 10 >= this.config.silenceDurationMs) {
      this.reset()
      return 'speech-stopped'
    }
    return undefined
  }

  reset(): void {
    this.inSpeech = false
    this.run = 0
    this.silence = 0
  }
}
