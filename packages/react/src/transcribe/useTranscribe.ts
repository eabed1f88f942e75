import {
  createTranscriptionSession,
  type LevelSource,
  type SpeechTransport,
  type TranscriptionOptions,
  type TranscriptionSession,
  type TranscriptionState,
  type TranscriptionStatus,
} from '@voicekit/core'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useVoiceContext } from '../provider'

/** idle → requesting → recording ⇄ paused → stopping → transcribing → done, or error (see docs/sessions.md). */
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

/**
 * Speech to text: a transcription session (`createTranscriptionSession` in core) bound to the component.
 * Its requests run as mutations on the app's QueryClient; the actions keep their identity across renders.
 * The microphone opens only on `start()` and is released on unmount, StrictMode included.
 */
export function useTranscribe(options: UseTranscribeOptions = {}): UseTranscribeResult {
  const { transport, runRequest } = useVoiceContext(options.transport)
  const configured = { ...options, transport, runRequest }
  const [session] = useState(() => createTranscriptionSession(configured))
  // Options are read when used (at start, send and callback), so the latest render's are the ones.
  session.configure(configured)
  useEffect(() => () => session.dispose(), [session])
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot)
  // The session's commands are its own, created once: their identity never changes.
  const { start, stop, pause, resume, cancel, toggle, retry, level } = session
  return { ...state, start, stop, pause, resume, cancel, toggle, retry, level, session }
}
