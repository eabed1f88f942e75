import type { Transcript } from '@voicekit/core'
import {
  type TranscribeStatus,
  type UseTranscribeOptions,
  type UseTranscribeResult,
  useTranscribe,
} from '@voicekit/react'
import { type ButtonHTMLAttributes, forwardRef, type KeyboardEvent, useRef } from 'react'
import { cx, defaultErrorLabels, type ErrorLabels, errorText, useAnnouncement } from '../internal/util'
import { LevelMeter } from '../level-meter'

/** The states a microphone shows, in `data-state`. */
export type MicState = 'idle' | 'requesting' | 'recording' | 'transcribing' | 'error'

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

export const micState = (status: TranscribeStatus): MicState =>
  status === 'paused' ? 'recording' : status === 'stopping' ? 'transcribing' : status === 'done' ? 'idle' : status

const ACTIVE: TranscribeStatus[] = ['requesting', 'recording', 'paused', 'stopping', 'transcribing']
export const isActive = (status: TranscribeStatus): boolean => ACTIVE.includes(status)

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

export interface MicButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  /** A `useTranscribe()` result to drive; without it the button runs its own (see `onTranscript`, `options`). */
  transcribe?: MicController
  /** With no `transcribe`: called with each transcript. */
  onTranscript?(transcript: Transcript): void
  /** With no `transcribe`: options for its own `useTranscribe`. */
  options?: UseTranscribeOptions
  /** `toggle` (default): press to start, press to stop. `hold`: records while pressed (pointer or Space held). */
  mode?: 'toggle' | 'hold'
  labels?: Partial<MicButtonLabels>
  /** Render the visually hidden aria-live region announcing status changes. Default true. */
  announce?: boolean
}

/**
 * The microphone alone, for custom layouts: `aria-pressed` while recording, its state in
 * `data-state` (idle, requesting, recording, transcribing, error) and a level ring.
 * Keyboard: Space/Enter toggle (hold mode: Space held records, Enter toggles), Escape cancels.
 */
export const MicButton = forwardRef<HTMLButtonElement, MicButtonProps>(function MicButton(
  { transcribe, onTranscript, options, mode = 'toggle', labels, announce = true, className, ...rest },
  ref,
) {
  const own = useTranscribe(transcribe ? {} : { ...options, onTranscript })
  const c = transcribe ?? own
  const l = { ...defaultMicButtonLabels, ...labels }
  const hold = mode === 'hold'
  const state = micState(c.status)
  const held = useRef(false)
  const clickAfterSpace = useRef(false)
  const message = useAnnouncement(c.status, (status, previous) => micMessage(status, previous, l, hold, c))

  const press = () => {
    if (held.current) return
    held.current = true
    c.start()
  }
  const release = () => {
    if (!held.current) return
    held.current = false
    c.stop()
  }
  const onKey = (down: boolean) => (event: KeyboardEvent<HTMLButtonElement>) => {
    ;(down ? rest.onKeyDown : rest.onKeyUp)?.(event)
    if (event.defaultPrevented) return
    if (down && event.key === 'Escape' && c.status !== 'idle' && c.status !== 'done') {
      event.preventDefault()
      held.current = false
      c.cancel()
    } else if (hold && event.key === ' ') {
      event.preventDefault() // no click: Space is press-and-hold here
      if (!down) {
        clickAfterSpace.current = true
        setTimeout(() => {
          clickAfterSpace.current = false
        })
        release()
      } else if (!event.repeat) press()
    }
  }

  return (
    <>
      <button
        type="button"
        {...rest}
        ref={ref}
        className={cx('vk-mic', className)}
        data-state={state}
        data-mode={mode}
        aria-pressed={state === 'recording' || state === 'requesting'}
        onKeyDown={onKey(true)}
        onKeyUp={onKey(false)}
        onPointerDown={(event) => {
          rest.onPointerDown?.(event)
          if (!hold || event.button !== 0 || event.defaultPrevented) return
          event.currentTarget.setPointerCapture?.(event.pointerId)
          press()
        }}
        onPointerUp={(event) => {
          rest.onPointerUp?.(event)
          if (hold) release()
        }}
        onPointerCancel={(event) => {
          rest.onPointerCancel?.(event)
          if (hold) release()
        }}
        onClick={(event) => {
          rest.onClick?.(event)
          // Hold mode: the pointer already acted, and Space acts on its own; a keyboard click (Enter) toggles.
          if (event.defaultPrevented || clickAfterSpace.current || (hold && event.detail > 0)) return
          c.toggle()
        }}
      >
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
        <span className="vk-sr-only" role="status" aria-live="polite">
          {message}
        </span>
      )}
    </>
  )
})
