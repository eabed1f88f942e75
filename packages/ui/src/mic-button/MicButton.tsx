import type { LevelSource, Transcript, VoiceError, VoiceStatus } from '@voicekit/core'
import {
  type MicButtonController,
  type UseMicButtonOptions,
  type UseTranscribeOptions,
  useMicButton,
  useTranscribe,
} from '@voicekit/react'
import { type ButtonHTMLAttributes, forwardRef } from 'react'
import { cx, defaultErrorLabels, type ErrorLabels, errorText, settled, useAnnouncement } from '../internal/util'
import { LevelMeter } from '../level-meter'

/** The statuses a microphone can be in, each with its words (`done` and `error` below). */
type CaptureStatus = 'requesting' | 'listening' | 'recording' | 'paused' | 'stopping' | 'transcribing'

/** The words shown and announced, keyed by core's status (plus the button's name and the cancel). */
export interface MicButtonLabels
  extends Record<'requesting' | 'listening' | 'recording' | 'paused' | 'stopping' | 'transcribing', string> {
  /** The button's name (its pressed state says whether it records). */
  mic: string
  /** Announced instead of `recording` in hold-to-talk mode. */
  recordingHold: string
  done: string
  /** Announced when a capture goes back to `idle` (Escape, or the cancel button). */
  cancelled: string
  /** An error with no message of its own in `errors`. */
  error: string
  errors: ErrorLabels
}

export const defaultMicButtonLabels: MicButtonLabels = {
  mic: 'Dictate',
  requesting: 'Waiting for the microphone…',
  listening: 'Listening. Start speaking, Escape to cancel.',
  recording: 'Recording. Press again to stop, Escape to cancel.',
  recordingHold: 'Recording. Release to stop, Escape to cancel.',
  paused: 'Paused.',
  stopping: 'Finishing the recording…',
  transcribing: 'Transcribing…',
  done: 'Transcript ready.',
  cancelled: 'Recording cancelled.',
  error: 'Transcription failed.',
  errors: defaultErrorLabels,
}

/** What MicButton drives: `useTranscribe()` or `useDictation()` (their `error` and `level` too). */
export interface MicButtonTarget extends MicButtonController {
  error: VoiceError | null
  level: LevelSource | null
}

const CAPTURE_LABELS: readonly VoiceStatus[] = ['requesting', 'listening', 'paused', 'stopping', 'transcribing']

/** The announcement for a status change (shared with VoiceInput): the label of core's status. */
export function micMessage(
  status: VoiceStatus,
  previous: VoiceStatus,
  l: MicButtonLabels,
  hold: boolean,
  c: Pick<MicButtonTarget, 'error'>,
): string {
  if (status === 'done') return l.done
  if (status === 'idle') return settled(previous) ? '' : l.cancelled
  if (status === 'error') return errorText(c.error, l.errors, l.error)
  if (status === 'recording') return hold ? l.recordingHold : l.recording
  return CAPTURE_LABELS.includes(status) ? l[status as CaptureStatus] : ''
}

export interface MicButtonProps
  extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'>,
    Pick<UseMicButtonOptions, 'onPttStart' | 'onPttEnd'> {
  /** A `useTranscribe()` result to drive (no second recorder is made); without it the button runs its own (see `onTranscript`, `options`). */
  transcribe?: MicButtonTarget
  /** With no `transcribe`: called with each transcript. */
  onTranscript?(transcript: Transcript): void
  /** With no `transcribe`: options for its own `useTranscribe`. */
  options?: UseTranscribeOptions
  /** `toggle` (default): press to start, press to stop. `hold`: records while pressed (pointer or Space held). */
  mode?: 'toggle' | 'hold'
  labels?: Partial<MicButtonLabels>
  /** Render the aria-live region announcing status changes, shown beside the button in words. Default true. */
  announce?: boolean
  /** Show the status in words beside the button (default true); false: announced only. */
  showStatus?: boolean
}

/**
 * The microphone alone, for custom layouts: `aria-pressed` while recording, its state in
 * `data-state` (core's status as it is: idle, requesting, listening, recording, paused, stopping,
 * transcribing, done, error) and in words beside it, and a level ring.
 * Keyboard: Space/Enter toggle (hold mode: Space held records, Enter toggles), Escape cancels.
 */
export const MicButton = forwardRef<HTMLButtonElement, MicButtonProps>(function MicButton(props, ref) {
  return props.transcribe ? (
    <MicButtonView {...props} controller={props.transcribe} ref={ref} />
  ) : (
    <OwnMicButton {...props} ref={ref} />
  )
})

/** The button with its own `useTranscribe`: only made when no controller is passed in. */
const OwnMicButton = forwardRef<HTMLButtonElement, MicButtonProps>(function OwnMicButton(
  { onTranscript, options, ...rest },
  ref,
) {
  const own = useTranscribe({ ...options, onTranscript })
  return <MicButtonView {...rest} controller={own} ref={ref} />
})

const MicButtonView = forwardRef<HTMLButtonElement, MicButtonProps & { controller: MicButtonTarget }>(
  function MicButtonView(
    {
      controller: c,
      transcribe: _,
      onTranscript: __,
      options: ___,
      mode = 'toggle',
      labels,
      announce = true,
      showStatus = true,
      onPttStart,
      onPttEnd,
      className,
      ...rest
    },
    ref,
  ) {
    const l = { ...defaultMicButtonLabels, ...labels }
    const hold = mode === 'hold'
    const mic = useMicButton(c, { mode, onPttStart, onPttEnd })
    const message = useAnnouncement(c.status, (now, previous) => micMessage(now, previous, l, hold, c))
    return (
      <>
        <button type="button" {...mic.getButtonProps(rest)} ref={ref} className={cx('vk-mic', className)}>
          <LevelMeter source={c.level} variant="ring" className="vk-mic__ring" />
          <svg className="vk-mic__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path
              fill="currentColor"
              d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11Z"
            />
          </svg>
          <span className="vk-sr-only">{l.mic}</span>
        </button>
        {announce && (
          <span
            className={showStatus ? 'vk-mic__status' : 'vk-sr-only'}
            data-state={mic.status}
            role="status"
            aria-live="polite"
          >
            {message}
          </span>
        )}
      </>
    )
  },
)
