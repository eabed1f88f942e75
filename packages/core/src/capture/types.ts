import type { VoiceError } from '../errors'
import type { VoiceStatus } from '../status'
import type { ReadableStore } from '../store'
import type { TransportInput } from '../transport/types'

/** idle → requesting → recording ⇄ paused → stopping → done, or error (from any of them): words of `VoiceStatus`. */
export type RecorderStatus = Extract<
  VoiceStatus,
  'idle' | 'requesting' | 'recording' | 'paused' | 'stopping' | 'done' | 'error'
>

export interface Recording {
  /** The whole recording: every chunk, the first one carrying the container header. */
  blob: Blob
  /** What MediaRecorder really wrote, read from the chunks (e.g. `audio/webm;codecs=opus`, `audio/mp4; codecs=mp4a`). */
  mimeType: string
  /** Time spent recording (pauses excluded), measured by the clock. */
  durationMs: number
  /** Why it ended: `stop()`, a limit, or the device going away (track `ended`). */
  endedBy: 'stop' | 'max-duration' | 'max-bytes' | 'device-ended'
}

export interface RecorderState {
  status: RecorderStatus
  /** Updated about once a second while recording (never per frame), exact once stopped. */
  durationMs: number
  error: VoiceError | null
  /** The last finished recording, kept until the next `start()` or `cancel()`. */
  recording: Recording | null
}

/** The microphone level, 0…1 (−60…0 dBFS), updated on every animation frame; never goes through the state store. */
export interface LevelSource {
  get(): number
  subscribe(listener: (level: number) => void): () => void
}

export interface RecorderOptions {
  /** The target transport's `input`: decides the recording type and the default limits. */
  input?: TransportInput
  /** A microphone from `enumerateDevices()`; required exactly when given. */
  deviceId?: string
  /** Default true. */
  echoCancellation?: boolean
  /** Default true. */
  noiseSuppression?: boolean
  /** Force a MediaRecorder type instead of the preference list. */
  mimeType?: string
  audioBitsPerSecond?: number
  /** Milliseconds per MediaRecorder chunk (lets the byte limit be watched). Default 1000. */
  timeslice?: number
  /**
   * Recording stops by itself after this long. Default: what fits `input.maxBytes` as
   * the 16 kHz mono 16-bit WAV upload (32 000 B/s, larger than any browser's compressed
   * recording) with 5 % headroom — Dify's 30 MiB ≈ 15.5 min; 10 min without `input`.
   */
  maxDurationMs?: number
  /** Recording stops by itself before its bytes would pass this. Default `input.maxBytes`. */
  maxBytes?: number
  /** Feed `level` from an AnalyserNode. Default true. */
  level?: boolean
}

export interface Recorder extends ReadableStore<RecorderState> {
  readonly level: LevelSource
  /**
   * Opens the microphone and records. Resolves once recording has begun (or was
   * cancelled meanwhile); rejects with the VoiceError that is also put in the state.
   * Options given here override the ones given to `createRecorder`. No-op while active.
   */
  start(options?: RecorderOptions): Promise<void>
  /** Ends the recording; resolves with it (null if there was none or it was cancelled). Releases the microphone. */
  stop(): Promise<Recording | null>
  /** Discards whatever is in progress and the last recording; releases the microphone; back to idle. */
  cancel(): void
  pause(): void
  resume(): void
  /** `cancel()`, and `start()` rejects from now on. */
  dispose(): void
}
