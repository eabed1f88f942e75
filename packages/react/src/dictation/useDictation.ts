import {
  createDictation,
  type Dictation,
  type DictationOptions,
  type DictationState,
  type LevelSource,
} from '@voicekit/core'
import { useBinding } from '../binding'
import { useVoiceContext } from '../provider'

export interface UseDictationOptions extends Omit<DictationOptions, 'transport' | 'runRequest'> {
  /** Overrides the VoiceProvider's transport for this hook. */
  transport?: DictationOptions['transport']
}

export interface UseDictationResult extends DictationState {
  /** Opens the microphone and dictates (no-op while active). Never rejects. */
  start(): void
  /** Ends the recording; the last segments are still transcribed. */
  stop(): void
  /** recording/listening → stop; requesting → cancel; idle/done/error → start. */
  toggle(): void
  /** Aborts every request in flight, releases the microphone; back to idle. */
  cancel(): void
  /** Sends failed segments again (one, or all). */
  retry(index?: number): void
  /** Subscribe with `useAudioLevel`: the level never renders the component. */
  level: LevelSource
  /** The core controller (`recover()` takes a saved dictation). */
  dictation: Dictation
}

function bindDictation(options: DictationOptions) {
  const dictation = createDictation(options)
  const cancel = () => dictation.cancel()
  return {
    store: dictation,
    configure: dictation.configure,
    // cancel() aborts the requests and releases the microphone; dispose() would end the dictation for good.
    release: cancel,
    result: {
      start: () => void dictation.start(),
      stop: () => void dictation.stop(),
      cancel,
      retry: (index?: number) => dictation.retry(index),
      toggle: dictation.toggle,
      level: dictation.level,
      dictation,
    },
  }
}

/**
 * Continuous dictation bound to the component. Renders when the state changes: a segment found, a
 * segment's result, a status change, and `durationMs` about once a second; never per audio frame.
 * Its segment uploads run as mutations on the app's QueryClient. The latest options are the ones used:
 * at `start()` all of them, and during a dictation what it sends from then on.
 * The microphone is released on unmount.
 */
export function useDictation(options: UseDictationOptions = {}): UseDictationResult {
  const { transport, runRequest } = useVoiceContext(options.transport)
  const [bound, state] = useBinding(bindDictation, { ...options, transport, runRequest })
  return { ...state, ...bound.result }
}
