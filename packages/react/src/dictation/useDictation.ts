import { createDictation, type Dictation, type DictationOptions, type DictationState } from '@voicekit/core'
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { useVoiceContext } from '../provider'

export interface UseDictationOptions extends Omit<DictationOptions, 'transport'> {
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
  /** The core controller (its `level` feeds `useAudioLevel` without rendering; `recover()` takes a saved dictation). */
  dictation: Dictation
}

/**
 * Continuous dictation bound to the component. Renders when the state changes: a segment found, a
 * segment's result, a status change, and `durationMs` about once a second; never per audio frame.
 * Options are read at each `start()`. The microphone is released on unmount.
 */
export function useDictation(options: UseDictationOptions = {}): UseDictationResult {
  const { transport } = useVoiceContext(options.transport)
  const optionsRef = useRef(options)
  optionsRef.current = options
  const transportRef = useRef(transport)
  transportRef.current = transport
  const [dictation] = useState(() => createDictation({ transport }))
  const state = useSyncExternalStore(dictation.subscribe, dictation.getSnapshot, dictation.getSnapshot)
  useEffect(() => () => dictation.cancel(), [dictation])
  const [actions] = useState(() => {
    const start = () => void dictation.start({ ...optionsRef.current, transport: transportRef.current })
    const stop = () => void dictation.stop()
    return {
      start,
      stop,
      cancel: () => dictation.cancel(),
      retry: (index?: number) => dictation.retry(index),
      toggle() {
        const { status } = dictation.getSnapshot()
        if (status === 'recording' || status === 'listening') stop()
        else if (status === 'requesting') dictation.cancel()
        else if (status === 'idle' || status === 'done' || status === 'error') start()
      },
      dictation,
    }
  })
  return { ...state, ...actions }
}
