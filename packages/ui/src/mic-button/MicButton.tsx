import type { Transcript } from '@voicekit/core'
import {
  isActive,
  type MicState,
  micState,
  type TranscribeStatus,
  type UseMicButtonOptions,
  type UseTranscribeOptions,
  type UseTranscribeResult,
  useMicButton,
  useTranscribe,
} from '@voicekit/react'
import { type ButtonHTMLAttributes, forwardRef } from 'react'
import { cx, defaultErrorLabels, type ErrorLabels, errorText, useAnnouncement } from '../internal/util'
import { LevelMeter } from '../level-meter'

export type { MicState }
export { isActive, micState }

/** What MicButton needs from `useTranscribe()`. */
export type MicController = Pick<
  UseTranscribeResult,
  'status' | 'error' | 'level' | 'start' | 'stop' | 'cancel' | 'toggle'
>

export interface MicButtonLabels {
  /** The button's name (its pressed state says whether it records). */
  mic: string
  requesting: string
  recording: string
  /** Announced instead of `recording` in hold-to-talk mode. */
  recordingHold: string
  transcribing: string
  done: string
  cancelled: string
  /** An error with no message of its own in `errors`. */
  error: string
  errors: ErrorLabels
}

export const defaultMicButtonLabels: MicButtonLabels = {
  mic: 'Dictate',
  requesting: 'Waiting for the microphone…',
  recording: 'Recording. Press again to stop, Escape to cancel.',
  recordingHold: 'Recording. Release to stop, Escape to cancel.',
  transcribing: 'Transcribing…',
  done: 'Transcript ready.',
  cancelled: 'Recording cancelled.',
  error: 'Transcription failed.',
  errors: defaultErrorLabels,
}

/** The announcement for a status change (shared with VoiceInput). */
export function micMessage(
  status: TranscribeStatus,
  previous: TranscribeStatus,
  l: MicButtonLabels,
  hold: boolean,
  c: MicController,
): string {
  const state = micState(status)
  if (status === 'done') return l.done
  if (state === 'idle') return isActive(previous) ? l.cancelled : ''
  if (state === 'error') return errorText(c.error, l.errors, l.error)
  if (state === 'recording') return hold ? l.recordingHold : l.recording
  return l[state]
}

export interface MicButtonProps
  extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'>,
    Pick<UseMicButtonOptions, 'onPttStart' | 'onPttEnd'> {
  /** A `useTranscribe()` result to drive (no second recorder is made); without it the button runs its own (see `onTranscript`, `options`). */
  transcribe?: MicController
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
 * `data-state` (idle, requesting, recording, transcribing, error) and in words beside it, and a level ring.
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

const MicButtonView = forwardRef<HTMLButtonElement, MicButtonProps & { controller: MicController }>(
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
            data-state={mic.state}
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
