import type { LevelSource } from '../types'

/** Where a PCM source delivers its audio: 16 kHz mono float samples, in order. */
export interface PcmSink {
  samples(chunk: Float32Array): void
  /** The source ended by itself (the microphone was unplugged, a file played out). */
  ended?(): void
}

/** 16 kHz mono audio as it is captured: the microphone (`createMicrophonePcm`) or samples (`createSamplesPcm`). */
export interface PcmSource {
  /** Starts delivering; resolves once audio flows. Rejects with a VoiceError, having released everything. */
  start(sink: PcmSink): Promise<void>
  /** Delivers what is still buffered, then releases everything (microphone, AudioContext). */
  stop(): Promise<void>
  /** Releases everything at once; nothing more is delivered. */
  cancel(): void
  /** The input level, when the source has one. */
  readonly level?: LevelSource
}
