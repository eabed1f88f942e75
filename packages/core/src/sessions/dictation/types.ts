import type { LevelSource, MicrophonePcmOptions, PcmSource } from '../../capture'
import type { VoiceError } from '../../errors'
import type { VoiceStatus } from '../../status'
import type { ReadableStore } from '../../store'
import type { SpeechTransport, TranscribeOptions, Transcript, TranscriptSegment } from '../../transport/types'
import type { RequestRunner } from '../kernel'
import type { SavedDictation } from './saved'
import type { SegmenterOptions } from './segmenter'

/**
 * idle → requesting → (listening →) recording → stopping → transcribing → done, or error.
 * `listening` (only with `autoStart`) waits for speech; `transcribing` waits for the last segments.
 */
export type DictationStatus = Extract<
  VoiceStatus,
  'idle' | 'requesting' | 'listening' | 'recording' | 'stopping' | 'transcribing' | 'done' | 'error'
>

/** queued → sending → done, or `waiting` (offline, or backing off before an automatic retry), or `failed`. */
export type DictationSegmentStatus = 'queued' | 'sending' | 'waiting' | 'done' | 'failed'

export interface DictationSegment {
  index: number
  /** Seconds on the recording's clock. */
  start: number
  end: number
  status: DictationSegmentStatus
  /** Its text once transcribed ('' before). */
  text: string
  /** The provider's segments, shifted onto the recording's clock. */
  segments: TranscriptSegment[]
  /** The last failure (a `failed` segment can be sent again with `retry()`). */
  error: VoiceError | null
  attempts: number
}

export interface DictationState {
  status: DictationStatus
  /**
   * `realtime`: audio streams to the provider as it is spoken (a transport with `openTranscriptionStream`),
   * interim words in `interim`; `continuous`: segments cut at pauses, each uploaded; `single-file` where
   * AudioWorklet is missing (or asked for): one upload after stop.
   */
  mode: 'realtime' | 'continuous' | 'single-file'
  segments: readonly DictationSegment[]
  /**
   * The text so far: the transcribed segments in order, up to the first one still on its way (so
   * it only ever grows at its end while dictating). Failed segments are skipped.
   */
  text: string
  /**
   * Real-time mode: the provider's guess at the words being spoken now, not yet final ('' otherwise).
   * It follows `text` (show it distinct from it); it is replaced as the guess improves and cleared when final.
   */
  interim: string
  /** Segments still on their way (queued, sending or waiting). */
  pending: number
  /** Seconds of audio on their way. */
  pendingSeconds: number
  /** A network failure is holding the queue until the connection returns. */
  offline: boolean
  /** Updated about once a second while recording (never per frame). */
  durationMs: number
  /** The capture's failure, or the first failed segment's. */
  error: VoiceError | null
  /** Every segment's text and timestamps as one transcript, once every segment settled. */
  transcript: Transcript | null
  /** The whole recording as one 16 kHz WAV once stopped (unless `keepRecording: false`). */
  recording: Blob | null
  /** The id under which segments are kept in IndexedDB (with `persist`). */
  session: string | null
}

export interface DictationOptions extends Omit<MicrophonePcmOptions, 'level'> {
  transport: SpeechTransport
  language?: string
  timestamps?: TranscribeOptions['timestamps']
  /** Requests in flight at once. Default 2. */
  concurrency?: number
  /** Automatic retries of a segment that failed with a retryable error (network failures wait for the connection instead). Default 2. */
  retries?: number
  /** First backoff delay, doubled per attempt, capped at 8 s. Default 1000. */
  retryDelayMs?: number
  /** A segment that runs this long is cut at its quietest point. Default 30 000. */
  maxSegmentMs?: number
  /** Runs each segment's request (with its retries), e.g. as a mutation on the app's QueryClient; see `RequestRunner`. */
  runRequest?: RequestRunner
  /** Tuning of the voice-activity segmenter. */
  segmenter?: Omit<SegmenterOptions, 'sampleRate' | 'maxSegmentMs' | 'minSegmentMs'>
  /** Keep the whole recording for `recording` (32 kB per second). Default true. */
  keepRecording?: boolean
  /** Keep segments not yet transcribed in IndexedDB until they are. Default false. */
  persist?: boolean
  /** Stop by itself after this much silence following speech. Default off. */
  autoStopSilenceMs?: number
  /** Wait for speech (`listening`) before the dictation counts as started. Default false. */
  autoStart?: boolean
  /**
   * `realtime` streams the audio as it is spoken (the transport needs `openTranscriptionStream`);
   * `continuous` uploads a segment at each pause; `single-file` records with MediaRecorder and uploads once
   * after stop. Default: realtime where the transport streams, else continuous, where AudioWorklet exists.
   */
  mode?: 'realtime' | 'continuous' | 'single-file'
  /** Where the audio comes from. Default the microphone (`createMicrophonePcm`). */
  source?: () => PcmSource
  /**
   * Called each time the voice-activity segmenter hears speech begin (continuous mode): the hook
   * point for barge-in, e.g. `onSpeechStart: bargeIn.speechDetected`.
   */
  onSpeechStart?: () => void
}

export interface Dictation extends ReadableStore<DictationState> {
  readonly level: LevelSource
  /** Opens the microphone and dictates. Never rejects: a failure lands in `error`. Options given here override. */
  start(options?: Partial<DictationOptions>): Promise<void>
  /** Ends the recording; resolves once every segment settled (done or failed). */
  stop(): Promise<void>
  /** Aborts every request in flight, releases the microphone, drops what was not transcribed; back to idle. */
  cancel(): void
  /** listening/recording → stop; requesting → cancel; idle/done/error → start; otherwise nothing. */
  toggle(): void
  /** Replaces the options (read at the next start, recover and request). */
  configure(options: DictationOptions): void
  /** Sends failed segments again (one, or all of them). */
  retry(index?: number): void
  /** Transcribes a dictation kept from an earlier page (see `loadSavedDictations`). */
  recover(saved: SavedDictation): Promise<void>
  /** `cancel()`, and nothing starts from now on. */
  dispose(): void
}
