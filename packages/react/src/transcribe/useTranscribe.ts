import { useMutation } from '@tanstack/react-query'
import {
  isVoiceError,
  type LevelSource,
  type RecorderOptions,
  type Recording,
  type SpeechTransport,
  type TranscribeOptions,
  type Transcript,
  toUploadable,
  VoiceError,
} from '@voicekit/core'
import { useEffect, useRef, useState } from 'react'
import { useVoiceContext } from '../provider'
import { useRecorder } from '../recorder'

/**
 * idle → requesting → recording ⇄ paused → stopping → transcribing → done, or error.
 * `requesting` waits for the microphone (and the permission prompt); `transcribing`
 * covers preparing the upload, the request and its automatic retries.
 */
export type TranscribeStatus =
  | 'idle'
  | 'requesting'
  | 'recording'
  | 'paused'
  | 'stopping'
  | 'transcribing'
  | 'done'
  | 'error'

export interface UseTranscribeOptions extends Omit<RecorderOptions, 'input'> {
  /** Overrides the VoiceProvider's transport for this hook. */
  transport?: SpeechTransport
  language?: string
  timestamps?: TranscribeOptions['timestamps']
  /** Automatic retries of an upload that failed with a retryable error (`VoiceError.retryable`). Default 2. */
  retries?: number
  /** First backoff delay in ms, doubled per attempt (capped at 8 s). Default 1000. */
  retryDelayMs?: number
  onTranscript?(transcript: Transcript): void
  /** Every failure except a cancel (`aborted` by `cancel()` is not an error). */
  onError?(error: VoiceError): void
}

export interface UseTranscribeResult {
  status: TranscribeStatus
  /** Starts a new recording (no-op while one is active or an upload runs). Never rejects. */
  start(): void
  /** Ends the recording; the upload starts by itself (so it does after a limit or an unplugged microphone). */
  stop(): void
  /** Discards a recording in progress, or aborts an upload in flight (the recording stays for `retry()`); back to idle. */
  cancel(): void
  /** recording/paused → stop; requesting → cancel; idle/done/error → start; otherwise nothing. */
  toggle(): void
  /** Sends the kept recording again, byte for byte; with none (e.g. permission denied), starts a new one. */
  retry(): void
  transcript: Transcript | null
  error: VoiceError | null
  /** The last recording, kept until the next `start()` (so `retry()` can resend it). */
  recording: Recording | null
  durationMs: number
  level: LevelSource
}

interface UploadVariables {
  recording: Recording
  signal: AbortSignal
}

const asVoiceError = (error: unknown) =>
  isVoiceError(error) ? error : new VoiceError('provider_error', String(error), { cause: error })

export function useTranscribe(options: UseTranscribeOptions = {}): UseTranscribeResult {
  const { transport, queryClient } = useVoiceContext(options.transport)
  const optionsRef = useRef(options)
  optionsRef.current = options
  const recorder = useRecorder({ ...options, input: transport.input })
  const [recording, setRecording] = useState<Recording | null>(null)
  const uploads = useRef(new WeakMap<Recording, Promise<File>>())
  const controller = useRef<AbortController | null>(null)

  const retries = options.retries ?? 2
  const retryDelayMs = options.retryDelayMs ?? 1000
  const mutation = useMutation<Transcript, VoiceError, UploadVariables>(
    {
      networkMode: 'always',
      mutationFn: async ({ recording, signal }) => {
        if (!transport.transcribe) {
          throw new VoiceError('provider_misconfigured', `The ${transport.provider} transport cannot transcribe`)
        }
        // One upload per recording: a retry sends the very same bytes without transcoding again.
        let file = uploads.current.get(recording)
        if (!file) {
          file = toUploadable(recording, transport.input)
          uploads.current.set(recording, file)
          file.catch(() => uploads.current.delete(recording))
        }
        const { language, timestamps } = optionsRef.current
        try {
          return await transport.transcribe(await file, { signal, language, timestamps })
        } catch (error) {
          throw asVoiceError(error)
        }
      },
      retry: (failures, error) => error.retryable && failures < retries,
      retryDelay: (attempt) => Math.min(retryDelayMs * 2 ** attempt, 8000),
    },
    queryClient,
  )

  const upload = (next: Recording) => {
    controller.current?.abort()
    const abort = new AbortController()
    controller.current = abort
    setRecording(next)
    mutation.mutate(
      { recording: next, signal: abort.signal },
      {
        onSuccess: (transcript) => optionsRef.current.onTranscript?.(transcript),
        onError: (error) => {
          if (!abort.signal.aborted) optionsRef.current.onError?.(error)
        },
      },
    )
  }
  const uploadRef = useRef(upload)
  uploadRef.current = upload

  // Whatever ended the recording (stop, a limit, the device going away), upload it once.
  const core = recorder.recorder
  useEffect(() => {
    let last = core.getSnapshot().recording
    return core.subscribe(() => {
      const { status, recording: next, error } = core.getSnapshot()
      if (status === 'stopped' && next && next !== last) uploadRef.current(next)
      if (status === 'error' && error) optionsRef.current.onError?.(error)
      last = next
    })
  }, [core])

  // Unmounting aborts an upload in flight (the recorder hook releases the microphone).
  useEffect(() => () => controller.current?.abort(), [])

  const active = ['requesting', 'recording', 'paused', 'stopping'].includes(recorder.status)
  const transcribing =
    mutation.isPending ||
    (recorder.status === 'stopped' && mutation.isIdle && !!recorder.recording && recorder.recording !== recording)
  let status: TranscribeStatus
  if (active) status = recorder.status as TranscribeStatus
  else if (recorder.status === 'error') status = 'error'
  else if (transcribing) status = 'transcribing'
  else if (mutation.isError) status = 'error'
  else if (mutation.isSuccess) status = 'done'
  else status = 'idle'

  const start = () => {
    if (active || transcribing) return
    controller.current?.abort()
    mutation.reset()
    setRecording(null)
    void recorder.start()
  }
  const stop = () => void recorder.stop()
  const cancel = () => {
    if (controller.current && !controller.current.signal.aborted) controller.current.abort()
    mutation.reset()
    if (active) recorder.cancel()
  }

  return {
    status,
    start,
    stop,
    cancel,
    toggle() {
      if (status === 'recording' || status === 'paused') stop()
      else if (status === 'requesting') cancel()
      else if (status === 'idle' || status === 'done' || status === 'error') start()
    },
    retry() {
      if (active || transcribing) return
      if (recording) upload(recording)
      else start()
    },
    transcript: mutation.data ?? null,
    error: recorder.error ?? mutation.error ?? null,
    recording,
    durationMs: recorder.durationMs,
    level: recorder.level,
  }
}
