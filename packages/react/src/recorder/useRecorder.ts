import {
  createRecorder,
  type LevelSource,
  type Recorder,
  type RecorderOptions,
  type RecorderState,
  type Recording,
} from '@voicekit/core'
import { useBinding } from '../binding'

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

function bindRecorder(options: RecorderOptions) {
  const recorder = createRecorder()
  // The recorder has no configure(): it takes its options at start(), so the latest are kept for it.
  let latest = options
  const cancel = () => recorder.cancel()
  return {
    store: recorder,
    configure(next: RecorderOptions) {
      latest = next
    },
    // An idle recorder holds nothing, so cancel is a full release and the recorder stays usable.
    release: cancel,
    result: {
      start: () => recorder.start(latest).catch(() => {}),
      stop: () => recorder.stop(),
      cancel,
      pause: () => recorder.pause(),
      resume: () => recorder.resume(),
      level: recorder.level,
      recorder,
    },
  }
}

/**
 * A recorder bound to the component: its state through useSyncExternalStore (renders
 * on status changes and about once a second for `durationMs`), the microphone released
 * when the component unmounts. Options are read at each `start()`. The microphone is
 * opened only by `start()`, so StrictMode's double mount never opens it.
 */
export function useRecorder(options: RecorderOptions = {}): UseRecorderResult {
  const [bound, state] = useBinding(bindRecorder, options)
  return { ...state, ...bound.result }
}
