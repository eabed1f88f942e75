import { type PlayerState, type PlayerStatus, type ReadableStore, shallowEqual } from '@voicekit/core'
import {
  type SpeakButtonAction,
  type SpeakButtonController,
  type UseSpeakOptions,
  type UseSpeakResult,
  useSpeak,
  useSpeakButton,
  useStoreSelector,
} from '@voicekit/react'
import { type ButtonHTMLAttributes, forwardRef, memo } from 'react'
import { cx, defaultErrorLabels, type ErrorLabels, errorText, useAnnouncement } from '../internal/util'

/**
 * The words: the button's name for each action a press takes, and what is announced, keyed by the
 * player's status (core's word, also in `data-state`); `stopped` when it goes back to `idle`.
 */
export interface SpeakButtonLabels
  extends Record<SpeakButtonAction, string>,
    Record<Exclude<PlayerStatus, 'idle' | 'error'>, string> {
  stopped: string
  error: string
  errors: ErrorLabels
}

export const defaultSpeakButtonLabels: SpeakButtonLabels = {
  speak: 'Read aloud',
  stop: 'Stop reading',
  unblock: 'Play audio',
  loading: 'Loading speech…',
  buffering: 'Buffering…',
  playing: 'Playing.',
  paused: 'Paused.',
  blocked: 'The browser blocked the audio. Press Play audio to hear it.',
  done: 'Finished reading.',
  stopped: 'Stopped.',
  error: 'The text could not be read aloud.',
  errors: defaultErrorLabels,
}

/**
 * What SpeakButton drives: `useSpeak()`. With `player` (the player store), the button follows its
 * status and error itself, so it re-renders when they change, not as the time ticks.
 */
export interface SpeakButtonTarget extends SpeakButtonController, Pick<UseSpeakResult, 'error'> {
  player?: ReadableStore<PlayerState>
}

export interface SpeakButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  /** What to say. */
  text: string
  voice?: string
  /** A `useSpeak()` result to drive (e.g. shared with an AudioPlayer); without it the button runs its own. */
  speaker?: SpeakButtonTarget
  /** With no `speaker`: options for its own `useSpeak`. */
  options?: UseSpeakOptions
  labels?: Partial<SpeakButtonLabels>
}

/**
 * Speaks `text` while it streams in (`useSpeakButton` plus looks). Shows the player's status in
 * `data-state` and in words; a second press stops; when the browser blocks audio, a press plays it.
 */
export const SpeakButton = forwardRef<HTMLButtonElement, SpeakButtonProps>(function SpeakButton(
  { speaker, options, ...rest },
  ref,
) {
  return speaker ? <Controlled {...rest} speaker={speaker} ref={ref} /> : <Own {...rest} options={options} ref={ref} />
})

/** Its own `useSpeak`: only made when no `speaker` is passed in. */
const Own = forwardRef<HTMLButtonElement, SpeakButtonProps>(function Own({ options, ...rest }, ref) {
  return <Controlled {...rest} speaker={useSpeak(options)} ref={ref} />
})

const Controlled = forwardRef<HTMLButtonElement, SpeakButtonProps & { speaker: SpeakButtonTarget }>(function Controlled(
  { speaker: { player, status, error, speak, stop, unlock }, ...rest },
  ref,
) {
  // With the store, status and error are selected from it below: the ticking time never reaches the view.
  const state = player ? {} : { status, error }
  return <View {...rest} {...state} player={player} speak={speak} stop={stop} unlock={unlock} ref={ref} />
})

type ViewProps = Omit<SpeakButtonProps, 'speaker' | 'options'> &
  Partial<Pick<SpeakButtonTarget, 'status' | 'error'>> &
  Pick<SpeakButtonTarget, 'player' | 'speak' | 'stop' | 'unlock'>

const statusAndError = ({ status, error }: PlayerState) => ({ status, error })

// Memoised on flat props: a parent re-rendering for the time (useSpeak does, 4 times a second) leaves it alone.
const View = memo(
  forwardRef<HTMLButtonElement, ViewProps>(function View(
    { text, voice, labels, className, player, speak, stop, unlock, ...props },
    ref,
  ) {
    const selected = useStoreSelector(player, statusAndError, shallowEqual)
    const { status = 'idle', error = null, ...rest } = { ...props, ...selected }
    const l = { ...defaultSpeakButtonLabels, ...labels }
    const button = useSpeakButton({ status, speak, stop, unlock }, { text, voice })
    const message = useAnnouncement(status, (now, before): string =>
      now === 'error'
        ? errorText(error, l.errors, l.error)
        : now === 'idle'
          ? before === 'idle' || before === 'error' || before === 'done'
            ? ''
            : l.stopped
          : (l[now as Exclude<PlayerStatus, 'idle' | 'error'>] ?? ''),
    )
    return (
      <span className={cx('vk-speak', className)} data-state={status}>
        <button type="button" {...button.getButtonProps(rest)} ref={ref} className="vk-button vk-speak__button">
          <svg
            className="vk-speak__icon"
            viewBox="0 0 24 24"
            width="18"
            height="18"
            aria-hidden="true"
            focusable="false"
          >
            <path
              fill="currentColor"
              d={
                button.action === 'speak'
                  ? 'M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4Z'
                  : 'M6 6h12v12H6z'
              }
            />
          </svg>
          <span className="vk-speak__label">{l[button.action]}</span>
        </button>
        <span className="vk-status" role="status" aria-live="polite">
          {message}
        </span>
      </span>
    )
  }),
)
