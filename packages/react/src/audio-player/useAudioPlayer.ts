import type { VoiceStatus } from '@voicekit/core'
import { type ButtonHTMLAttributes, type MouseEvent, useRef } from 'react'

/** What a play/pause control drives: `useStreamingPlayer()`, `useSpeak()`, or anything with these members. */
export interface AudioPlayerController {
  status: VoiceStatus
  pause(): void
  resume(): void
  unlock(): void
}

export interface UseAudioPlayerOptions {
  /** Pressing Play with nothing loaded (idle, done, error) calls this, e.g. `() => speak(text)`. */
  onPlay?(): void
}

export interface UseAudioPlayerResult {
  /** The controller's status, unchanged. */
  status: VoiceStatus
  /** Loading, buffering or playing: the toggle pauses (and is named so). */
  running: boolean
  /** Something is loaded: running, paused or blocked. */
  loaded: boolean
  /** Props for the play/pause `<button>`: pass your own `onClick` in, it runs first (preventDefault skips ours). */
  getToggleProps(props?: ButtonHTMLAttributes<HTMLButtonElement>): ButtonHTMLAttributes<HTMLButtonElement>
}

/**
 * A player's play/pause toggle, headless: pauses while running, resumes when paused, plays audio the
 * browser blocked (the press is the gesture it needs), and otherwise calls `onPlay`; disabled when there
 * is nothing to play and no `onPlay`. `AudioPlayer` is this plus looks.
 */
export function useAudioPlayer(
  controller: AudioPlayerController,
  options: UseAudioPlayerOptions = {},
): UseAudioPlayerResult {
  const latest = useRef({ controller, options })
  latest.current = { controller, options }
  const { status } = controller
  const running = status === 'loading' || status === 'buffering' || status === 'playing'
  const loaded = running || status === 'paused' || status === 'blocked'
  return {
    status,
    running,
    loaded,
    getToggleProps: (user = {}) => ({
      ...user,
      disabled: user.disabled || (!loaded && !options.onPlay),
      onClick(event: MouseEvent<HTMLButtonElement>) {
        user.onClick?.(event)
        if (event.defaultPrevented) return
        const { controller: p, options: o } = latest.current
        const now = p.status
        if (now === 'loading' || now === 'buffering' || now === 'playing') p.pause()
        else if (now === 'paused') p.resume()
        else if (now === 'blocked') p.unlock()
        else o.onPlay?.()
      },
    }),
  }
}
