import { type UseStreamingPlayerResult, useAudioPlayer } from '@voicekit/react'
import type { CSSProperties } from 'react'
import { clock, cx, defaultErrorLabels, type ErrorLabels, errorText, fill, useAnnouncement } from '../internal/util'

export interface AudioPlayerLabels {
  /** The group's name. */
  player: string
  play: string
  pause: string
  progress: string
  /** The time shown and the progress bar's spoken value; `{current}` and `{total}` are `m:ss`. */
  time: string
  /** The same while the total is not known yet: the bar's scale is the audio received so far. */
  timeSoFar: string
  rate: string
  /** Announced, keyed by the player's status (core's word, also in `data-state`). */
  loading: string
  buffering: string
  paused: string
  blocked: string
  done: string
  error: string
  errors: ErrorLabels
}

export const defaultAudioPlayerLabels: AudioPlayerLabels = {
  player: 'Audio player',
  play: 'Play',
  pause: 'Pause',
  progress: 'Progress',
  time: '{current} of {total}',
  timeSoFar: '{current} of {total} so far',
  rate: 'Speed',
  loading: 'Loading audio…',
  buffering: 'Buffering…',
  paused: 'Paused.',
  blocked: 'The browser blocked the audio. Press Play to hear it.',
  done: 'Finished.',
  error: 'The audio could not be played.',
  errors: defaultErrorLabels,
}

/** Seconds as `m:ss`, rounded up. */
const clockUp = (seconds: number) => clock(Math.ceil(seconds || 0))

/** What AudioPlayer follows: a `useStreamingPlayer()` or `useSpeak()` result. */
export type PlayerController = Pick<
  UseStreamingPlayerResult,
  | 'status'
  | 'error'
  | 'currentTime'
  | 'bufferedFrom'
  | 'bufferedUntil'
  | 'playbackRate'
  | 'pause'
  | 'resume'
  | 'unlock'
  | 'setPlaybackRate'
>

export interface AudioPlayerProps {
  player: PlayerController
  /** Pressing Play with nothing loaded (idle, done, error) calls this, e.g. `() => speak(text)`. */
  onPlay?(): void
  /** Total seconds, when known; otherwise the audio received so far is the scale (and the time says "so far"). */
  duration?: number
  /**
   * Show and announce the player's errors. Default true; set false when another control that shares
   * the player (a SpeakButton driving the same `useSpeak()`) already reports them, so that one failure
   * gives one message.
   */
  announceErrors?: boolean
  /** Playback rates offered. Default 0.75, 1, 1.25, 1.5, 2. */
  rates?: number[]
  labels?: Partial<AudioPlayerLabels>
  className?: string
}

/**
 * Play/pause (`useAudioPlayer` plus looks), progress with the buffered range, time and rate, following a
 * streaming player (`useSpeak()` included) through its state: `data-state` is the player's status.
 */
export function AudioPlayer({
  player: p,
  onPlay,
  duration,
  announceErrors = true,
  rates = [0.75, 1, 1.25, 1.5, 2],
  labels,
  className,
}: AudioPlayerProps) {
  const l = { ...defaultAudioPlayerLabels, ...labels }
  const { status, running, loaded, getToggleProps } = useAudioPlayer(p, { onPlay })
  // One scale for the bar, the time and the spoken value. Without a known duration it is the audio
  // received so far, which still grows while the speech streams in: the time then says "so far".
  const total = Math.max(duration ?? 0, p.bufferedUntil, p.currentTime)
  const growing = duration === undefined && loaded
  const share = (seconds: number) => (total ? Math.min(1, seconds / total) : 0)
  // Playing says itself (the button reads Pause); every other status has its label.
  const message = useAnnouncement(status, (now) =>
    now === 'error'
      ? announceErrors
        ? errorText(p.error, l.errors, l.error)
        : ''
      : now === 'idle' || now === 'playing'
        ? ''
        : (l[now as 'loading' | 'buffering' | 'paused' | 'blocked' | 'done'] ?? ''),
  )
  // The total rounds up and the current time down, so the text never reads less than the bar shows
  // (0.7 s of 0.9 s is "0:00 of 0:01", not "0:00 of 0:00" beside a bar three quarters full).
  const time = fill(growing ? l.timeSoFar : l.time, { current: clock(p.currentTime), total: clockUp(total) })
  const tenths = (seconds: number) => Math.round(seconds * 10) / 10
  return (
    // biome-ignore lint/a11y/useSemanticElements: a named group of controls, not a form fieldset
    <div
      className={cx('vk-player', className)}
      data-state={status}
      data-scale={growing ? 'so-far' : 'total'}
      role="group"
      aria-label={l.player}
    >
      <button type="button" {...getToggleProps({ className: 'vk-button vk-player__toggle' })}>
        {running ? l.pause : l.play}
      </button>
      <div
        className="vk-player__progress"
        role="progressbar"
        aria-label={l.progress}
        aria-valuemin={0}
        aria-valuemax={tenths(total)}
        aria-valuenow={tenths(Math.min(p.currentTime, total))}
        aria-valuetext={time}
        style={
          {
            '--vk-played': share(p.currentTime),
            '--vk-buffered-from': share(p.bufferedFrom),
            '--vk-buffered-to': share(p.bufferedUntil),
          } as CSSProperties
        }
      >
        <span className="vk-player__buffered" />
        <span className="vk-player__played" />
      </div>
      <span className="vk-player__time">{time}</span>
      <label className="vk-player__rate">
        {l.rate}{' '}
        <select value={p.playbackRate} onChange={(event) => p.setPlaybackRate(Number(event.target.value))}>
          {rates.map((rate) => (
            <option key={rate} value={rate}>
              {rate}×
            </option>
          ))}
        </select>
      </label>
      <span className="vk-status" role="status" aria-live="polite">
        {message}
      </span>
    </div>
  )
}
