import {
  createRecorder,
  type LevelSource,
  type Recorder,
  type RecorderOptions,
  type RecorderState,
  type Recording,
} from '@voicekit/core'
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'

export interface UseRecorderResult extends RecorderState {
  /** Opens the microphone and records. Never rejects: a failure lands in `error` (status `error`). */
  start(): Promise<void>
  stop(): Promise<Recording | null>
  cancel(): void
  pause(): void
  resume(): void
  /** Subscribe with `useAudioLevel`: the level never renders the component. */
  level: LevelSource
  /** The core recorder behind the hook. */
  recorder: Recorder
}

/**
 * A recorder bound to the component: its state through useSyncExternalStore (renders
 * on status changes and about once a second for `durationMs`), the microphone released
 * when the component unmounts. Options are read at each `start()`. The microphone is
 * opened only by `start()`, so StrictMode's double mount never opens it.
 */
export function useRecorder(options: RecorderOptions = {}): UseRecorderResult {
  const [recorder] = useState(createRecorder)
  const optionsRef = useRef(options)
  optionsRef.current = options
  const state = useSyncExternalStore(recorder.subscribe, recorder.getSnapshot, recorder.getSnapshot)
  // An idle recorder holds nothing, so cancel is a full release and the recorder stays
  // usable for StrictMode's second mount.
  useEffect(() => () => recorder.cancel(), [recorder])
  const [actions] = useState(() => ({
    start: () => recorder.start(optionsRef.current).catch(() => {}),
    stop: () => recorder.stop(),
    cancel: () => recorder.cancel(),
    pause: () => recorder.pause(),
    resume: () => recorder.resume(),
    level: recorder.level,
    recorder,
  }))
  return { ...state, ...actions }
}
