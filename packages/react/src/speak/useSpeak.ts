import {
  createSpeechSession,
  type PlayOptions,
  type SpeakInput,
  type SpeechOptions,
  type SpeechSession,
  type SpeechState,
  type SpeechTransport,
  type VoiceError,
} from '@voicekit/core'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useVoiceContext } from '../provider'

export type { SpeakInput, SpeakRequest } from '@voicekit/core'

export interface UseSpeakOptions extends Omit<SpeechOptions, 'transport' | 'runRequest'> {
  /** Overrides the VoiceProvider's transport for this hook. */
  transport?: SpeechTransport
}

export interface UseSpeakResult
  extends SpeechState,
    Pick<SpeechSession, 'player' | 'play' | 'pause' | 'resume' | 'stop' | 'unlock' | 'setVolume' | 'setPlaybackRate'> {
  /**
   * Requests and plays speech; call it from a click or key handler (it unlocks audio synchronously).
   * Resolves when the utterance has played (undefined) or failed or was stopped (the error). Never rejects.
   */
  speak(input: SpeakInput, options?: PlayOptions): Promise<VoiceError | undefined>
  /** The core session behind the hook. */
  session: SpeechSession
}

/**
 * Text to speech, heard while it streams in: `const { speak, stop, status } = useSpeak()`. A speech
 * session (`createSpeechSession` in core) bound to the component: utterances queue, stop() stops playback
 * and aborts the download, requests run as mutations on the app's QueryClient, the actions keep their
 * identity across renders, and the player is released on unmount. Player options are read once.
 */
export function useSpeak(options: UseSpeakOptions = {}): UseSpeakResult {
  const { transport, runRequest } = useVoiceContext(options.transport)
  const configured = { ...options, transport, runRequest }
  const [session] = useState(() => createSpeechSession(configured))
  session.configure(configured)
  // dispose() leaves the session usable: StrictMode's unmount-and-mount keeps working.
  useEffect(() => () => session.dispose(), [session])
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot)
  // The session's commands are its own, created once: their identity never changes.
  const { speak, player, play, pause, resume, stop, unlock, setVolume, setPlaybackRate } = session
  return { ...state, speak, player, play, pause, resume, stop, unlock, setVolume, setPlaybackRate, session }
}
