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
  // The dictation has no configure(): it takes its options at start(), so the latest are kept for it.
  let latest = options
  const start = () => void dictation.start(latest)
  const stop = () => void dictation.stop()
  const cancel = () => dictation.cancel()
  return {
    store: dictation,
    configure(next: DictationOptions) {
      latest = next
    },
    // cancel() aborts the requests and releases the microphone; dispose() would end the dictation for good.
    release: cancel,
    result: {
      start,
      stop,
      cancel,
      retry: (index?: number) => dictation.retry(index),
      toggle() {
        const { status } = dictation.getSnapshot()
        if (status === 'recording' || status === 'listening') stop()
        else if (status === 'requesting') cancel()
        else if (status === 'idle' || status === 'done' || status === 'error') start()
      },
      level: dictation.level,
      dictation,
    },
  }
}

/**
 * Continuous dictation bound to the component. Renders when the state changes: a segment found, a
 * segment's result, a status change, and `durationMs` about once a second; never per audio frame.
 * Its segment uploads run as mutations on the app's QueryClient. Options are read at each `start()`.
 * The microphone is released on unmount.
 */
export function useDictation(options: UseDictationOptions = {}): UseDictationResult {
  const { transport, runRequest } = useVoiceContext(options.transport)
  const [bound, state] = useBinding(bindDictation, { ...options, transport, runRequest })
  return { ...state, ...bound.result }
}
