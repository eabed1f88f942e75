import {
  createTranscriptionSession,
  type LevelSource,
  type SpeechTransport,
  type TranscriptionOptions,
  type TranscriptionSession,
  type TranscriptionState,
  type TranscriptionStatus,
} from '@voicekit/core'
import { useBinding } from '../binding'
import { useVoiceContext } from '../provider'

/**
 * Core's `TranscriptionStatus` under the name this package gave it first (apps/demo uses it):
 * idle → requesting → recording ⇄ paused → stopping → transcribing → done, or error (see docs/sessions.md).
 * @deprecated Use `TranscriptionStatus` from `@voicekit/core`: one name per thing.
 */
export type TranscribeStatus = TranscriptionStatus

export interface UseTranscribeOptions extends Omit<TranscriptionOptions, 'transport' | 'runRequest'> {
  /** Overrides the VoiceProvider's transport for this hook. */
  transport?: SpeechTransport
}

export interface UseTranscribeResult
  extends TranscriptionState,
    Pick<TranscriptionSession, 'start' | 'stop' | 'pause' | 'resume' | 'cancel' | 'toggle' | 'retry'> {
  /** Subscribe with `useAudioLevel`: the level never renders the component. */
  level: LevelSource
  /** The core session behind the hook. */
  session: TranscriptionSession
}

function bindTranscription(options: TranscriptionOptions) {
  const session = createTranscriptionSession(options)
  const { start, stop, pause, resume, cancel, toggle, retry, level } = session
  return {
    store: session,
    configure: session.configure,
    // dispose() aborts the upload and releases the microphone; the session stays usable.
    release: session.dispose,
    result: { start, stop, pause, resume, cancel, toggle, retry, level, session },
  }
}

/**
 * Speech to text: a transcription session (`createTranscriptionSession` in core) bound to the component.
 * Its requests run as mutations on the app's QueryClient; the actions keep their identity across renders.
 * The microphone opens only on `start()` and is released on unmount, StrictMode included.
 */
export function useTranscribe(options: UseTranscribeOptions = {}): UseTranscribeResult {
  const { transport, runRequest } = useVoiceContext(options.transport)
  const [bound, state] = useBinding(bindTranscription, { ...options, transport, runRequest })
  return { ...state, ...bound.result }
}
