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
import { useBinding } from '../binding'
import { useVoiceContext } from '../provider'

export type { SpeakInput, SpeakRequest } from '@voicekit/core'

export interface UseSpeakOptions extends Omit<SpeechOptions, 'transport' | 'runRequest'> {
  /** Overrides the VoiceProvider's transport for this hook. */
  transport?: SpeechTransport
}

export interface UseSpeakResult
  extends SpeechState,
    Pick<
      SpeechSession,
      'player' | 'play' | 'pause' | 'resume' | 'stop' | 'retry' | 'unlock' | 'setVolume' | 'setPlaybackRate'
    > {
  /**
   * Requests and plays speech; call it from a click or key handler (it unlocks audio synchronously).
   * Resolves when the utterance has played (undefined) or failed or was stopped (the error). Never rejects.
   */
  speak(input: SpeakInput, options?: PlayOptions): Promise<VoiceError | undefined>
  /** The core session behind the hook. */
  session: SpeechSession
}

function bindSpeech(options: SpeechOptions) {
  const session = createSpeechSession(options)
  const { speak, player, play, pause, resume, stop, retry, unlock, setVolume, setPlaybackRate } = session
  return {
    store: session,
    configure: session.configure,
    // dispose() stops playback, aborts the download and releases the audio; the session stays usable.
    release: session.dispose,
    result: { speak, player, play, pause, resume, stop, retry, unlock, setVolume, setPlaybackRate, session },
  }
}

/**
 * Text to speech, heard while it streams in: `const { speak, stop, status } = useSpeak()`. A speech
 * session (`createSpeechSession` in core) bound to the component: utterances queue, stop() stops playback
 * and aborts the download, requests run as mutations on the app's QueryClient, the actions keep their
 * identity across renders, and the player is released on unmount. Player options are read once.
 */
export function useSpeak(options: UseSpeakOptions = {}): UseSpeakResult {
  const { transport, runRequest } = useVoiceContext(options.transport)
  const [bound, state] = useBinding(bindSpeech, { ...options, transport, runRequest })
  return { ...state, ...bound.result }
}
