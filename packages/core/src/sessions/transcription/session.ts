// createTranscriptionSession: recorder → upload prepared once → request with retries → transcript.
// Nothing is lost (the recording stays for retry()), and the microphone is always released.
import { createRecorder } from '../../capture/recorder'
import type { LevelSource, Recorder, RecorderOptions, Recording } from '../../capture/types'
import { toUploadable } from '../../capture/upload'
import { VoiceError } from '../../errors'
import type { VoiceStatus } from '../../status'
import { createStore, type ReadableStore } from '../../store'
import type { SpeechTransport, TranscribeOptions, Transcript } from '../../transport/types'
import { asVoiceError, type RequestRunner, type RetryPolicy, request } from '../kernel'

/**
 * idle → requesting → recording ⇄ paused → stopping → transcribing → done, or error at any step.
 * `requesting` waits for the microphone (and its permission prompt); `transcribing` covers preparing
 * the upload, the request and its automatic retries.
 */
export type TranscriptionStatus = Extract<
  VoiceStatus,
  'idle' | 'requesting' | 'recording' | 'paused' | 'stopping' | 'transcribing' | 'done' | 'error'
>

export interface TranscriptionState {
  status: TranscriptionStatus
  transcript: Transcript | null
  error: VoiceError | null
  /** The last recording, kept until the next `start()` (so `retry()` can resend it). */
  recording: Recording | null
  /** Updated about once a second while recording. */
  durationMs: number
}

export interface TranscriptionOptions extends Omit<RecorderOptions, 'input'>, RetryPolicy {
  transport: SpeechTransport
  language?: string
  timestamps?: TranscribeOptions['timestamps']
  /**
   * Shorter recordings end in `recording_too_short` and are not sent (a fraction of a second of noise
   * comes back as a random word). Default 500; the transport's `input.minSeconds` when that is longer.
   */
  minDurationMs?: number
  /** Runs each request (with its retries); see `RequestRunner`. */
  runRequest?: RequestRunner
  onTranscript?(transcript: Transcript): void
  /** Every failure except a cancel (`aborted` by `cancel()` is not an error). */
  onError?(error: VoiceError): void
}

export interface TranscriptionSession extends ReadableStore<TranscriptionState> {
  /** The microphone level, for `useAudioLevel` or a LevelMeter: never goes through the state. */
  readonly level: LevelSource
  readonly recorder: Recorder
  /** Starts a new recording (no-op while one is active or an upload runs). Never rejects. */
  start(): void
  /** Ends the recording; the upload starts by itself (so it does after a limit or an unplugged microphone). */
  stop(): void
  pause(): void
  resume(): void
  /** Discards a recording in progress, or aborts an upload in flight (the recording stays for `retry()`); back to idle. */
  cancel(): void
  /** recording/paused → stop; requesting → cancel; idle/done/error → start; otherwise nothing. */
  toggle(): void
  /** Sends the kept recording again, byte for byte; with none (or one too short to send), starts a new one. */
  retry(): void
  /** Replaces the options (read at the next start, send and callback). */
  configure(options: TranscriptionOptions): void
  /** Aborts any upload and releases the microphone. The session stays usable (StrictMode mounts twice). */
  dispose(): void
}

const ACTIVE = ['requesting', 'recording', 'paused', 'stopping']

export function createTranscriptionSession(
  options: TranscriptionOptions,
  recorder: Recorder = createRecorder(),
): TranscriptionSession {
  let o = options
  const store = createStore<TranscriptionState>({
    status: 'idle',
    transcript: null,
    error: null,
    recording: null,
    durationMs: 0,
  })
  const { update, getSnapshot: state } = store
  // One upload per recording: a retry sends the very same bytes without transcoding again.
  const uploads = new WeakMap<Recording, Promise<File>>()
  let controller: AbortController | undefined
  let handled: Recording | null = null

  const fail = (error: VoiceError) => {
    update({ status: 'error', error })
    o.onError?.(error)
  }
  const busy = () => ACTIVE.includes(state().status) || state().status === 'transcribing'

  function send(recording: Recording) {
    controller?.abort()
    const abort = new AbortController()
    const { signal } = abort
    controller = abort
    const { transport, language, timestamps } = o
    const minMs = Math.max(o.minDurationMs ?? 500, (transport.input.minSeconds ?? 0) * 1000)
    update({ recording, transcript: null, error: null })
    if (recording.durationMs < minMs) return fail(new VoiceError('recording_too_short'))
    update({ status: 'transcribing' })
    let file = uploads.get(recording)
    if (!file) {
      file = toUploadable(recording, transport.input)
      uploads.set(recording, file)
      file.catch(() => uploads.delete(recording))
    }
    const upload = file
    request({
      kind: 'transcribe',
      variables: { recording },
      signal,
      retries: o.retries,
      retryDelayMs: o.retryDelayMs,
      runRequest: o.runRequest,
      async attempt(signal) {
        if (!transport.transcribe) throw new VoiceError('provider_misconfigured', 'no transcribe()')
        return transport.transcribe(await upload, { signal, language, timestamps })
      },
    }).then(
      (transcript) => {
        if (signal.aborted) return
        update({ status: 'done', transcript })
        o.onTranscript?.(transcript)
      },
      (error) => {
        if (!signal.aborted) fail(asVoiceError(error))
      },
    )
  }

  recorder.subscribe(() => {
    const { status, recording, error, durationMs } = recorder.getSnapshot()
    update({ durationMs })
    // Whatever ended the recording (stop, a limit, the device going away), it is sent once.
    if (status === 'done') {
      if (recording && recording !== handled) {
        handled = recording
        send(recording)
      }
    } else if (error) fail(error)
    else if (ACTIVE.includes(status) || ACTIVE.includes(state().status)) update({ status })
  })

  const start = () => {
    if (busy()) return
    controller?.abort()
    update({ recording: null, transcript: null, error: null })
    recorder.start({ ...o, input: o.transport.input }).catch(() => {})
  }
  const stop = () => void recorder.stop()
  const cancel = () => {
    controller?.abort()
    if (ACTIVE.includes(recorder.getSnapshot().status)) recorder.cancel()
    update({ status: 'idle', error: null })
  }

  return {
    getSnapshot: state,
    subscribe: store.subscribe,
    level: recorder.level,
    recorder,
    start,
    stop,
    cancel,
    pause: recorder.pause,
    resume: recorder.resume,
    toggle() {
      const { status } = state()
      if (status === 'recording' || status === 'paused') stop()
      else if (status === 'requesting') cancel()
      else start() // a no-op while stopping or transcribing
    },
    retry() {
      const { recording, error } = state()
      if (busy()) return
      if (recording && error?.code !== 'recording_too_short') send(recording)
      else start()
    },
    configure(next) {
      o = next
    },
    dispose() {
      cancel()
      recorder.cancel()
    },
  }
}
