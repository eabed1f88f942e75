import type { SpeechStatus } from '@voicekit/core'
import { type UseSpeakOptions, type UseSpeakResult, useSpeak } from '@voicekit/react'
import { type ButtonHTMLAttributes, forwardRef } from 'react'
import { cx, defaultErrorLabels, type ErrorLabels, errorText, useAnnouncement } from '../internal/util'

/** The states a SpeakButton shows, in `data-state`. */
export type SpeakState = 'idle' | 'loading' | 'playing' | 'paused' | 'blocked' | 'error'

export interface SpeakButtonLabels {
  /** The button's name when pressing it speaks. */
  speak: string
  /** Its name while loading or playing (pressing stops). */
  stop: string
  /** Its name when the browser blocked the audio (pressing plays it). */
  unblock: string
  loading: string
  playing: string
  blocked: string
  stopped: string
  error: string
  errors: ErrorLabels
}

export const defaultSpeakButtonLabels: SpeakButtonLabels = {
  speak: 'Read aloud',
  stop: 'Stop reading',
  unblock: 'Play audio',
  loading: 'Loading speech…',
  playing: 'Playing.',
  blocked: 'The browser blocked the audio. Press Play audio to hear it.',
  stopped: 'Stopped.',
  error: 'The text could not be read aloud.',
  errors: defaultErrorLabels,
}

/** What SpeakButton needs from `useSpeak()`. */
export type SpeakController = Pick<UseSpeakResult, 'status' | 'error' | 'speak' | 'stop' | 'unlock'>

export const speakState = (status: SpeechStatus): SpeakState =>
  status === 'buffering' ? 'loading' : status === 'done' ? 'idle' : status

export interface SpeakButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  /** What to say. */
  text: string
  voice?: string
  /** A `useSpeak()` result to drive (e.g. shared with an AudioPlayer); without it the button runs its own. */
  speaker?: SpeakController
  /** With no `speaker`: options for its own `useSpeak`. */
  options?: UseSpeakOptions
  labels?: Partial<SpeakButtonLabels>
}

/**
 * Speaks `text` while it streams in. Shows loading and playing (`data-state`); a second
 * press stops; when the browser blocks audio, a press plays it.
 */
export const SpeakButton = forwardRef<HTMLButtonElement, SpeakButtonProps>(function SpeakButton(
  { text, voice, speaker, options, labels, className, ...rest },
  ref,
) {
  const own = useSpeak(speaker ? {} : options)
  const s = speaker ?? own
  const l = { ...defaultSpeakButtonLabels, ...labels }
  const state = speakState(s.status)
  const message = useAnnouncement(state, (now, before): string =>
    now === 'error'
      ? errorText(s.error, l.errors, l.error)
      : now === 'idle'
        ? before === 'idle' || before === 'error'
          ? ''
          : l.stopped
        : now === 'paused'
          ? ''
          : l[now],
  )
  return (
    <span className={cx('vk-speak', className)} data-state={state}>
      <button
        type="button"
        {...rest}
        ref={ref}
        className="vk-button vk-speak__button"
        onClick={(event) => {
          rest.onClick?.(event)
          if (event.defaultPrevented) return
          if (state === 'blocked') s.unlock()
          else if (state === 'idle' || state === 'error') void s.speak({ text, voice }, { interrupt: true })
          else s.stop()
        }}
      >
        <svg className="vk-speak__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d={
              state === 'idle' || state === 'error'
                ? 'M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4Z'
                : 'M6 6h12v12H6z'
            }
          />
        </svg>
        <span className="vk-speak__label">
          {state === 'blocked' ? l.unblock : state === 'idle' || state === 'error' ? l.speak : l.stop}
        </span>
      </button>
      <span className="vk-status" role="status" aria-live="polite">
        {message}
      </span>
    </span>
  )
})
