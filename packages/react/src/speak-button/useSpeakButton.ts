import type { PlayOptions, SpeakInput, VoiceStatus } from '@voicekit/core'
import { type HTMLAttributes, type MouseEvent, useRef } from 'react'

/** What a speak button drives: `useSpeak()`, or anything with these four members. */
export interface SpeakButtonController {
  status: VoiceStatus
  speak(input: SpeakInput, options?: PlayOptions): unknown
  stop(): void
  unlock(): void
}

/** What pressing the button does now (and so what it is called): speak, stop, or play audio the browser blocked. */
export type SpeakButtonAction = 'speak' | 'stop' | 'unblock'

export interface UseSpeakButtonOptions {
  /** What to say. */
  text: string
  voice?: string
}

export interface UseSpeakButtonResult {
  /** The controller's status, unchanged. */
  status: VoiceStatus
  action: SpeakButtonAction
  /** Props for a `<button>`: pass your own `onClick` in, it runs first (preventDefault skips ours). */
  getButtonProps<E extends HTMLElement = HTMLButtonElement>(props?: HTMLAttributes<E>): HTMLAttributes<E>
}

/** The action a press takes in each status. */
export function speakButtonAction(status: VoiceStatus): SpeakButtonAction {
  if (status === 'blocked') return 'unblock'
  return status === 'idle' || status === 'done' || status === 'error' ? 'speak' : 'stop'
}

/**
 * Read-aloud for any button, headless: a press speaks `text` (interrupting what plays), a press while
 * loading or playing stops, and a press while the browser blocks the audio plays it (the press is the
 * gesture it needs). `SpeakButton` is this plus looks.
 */
export function useSpeakButton(
  controller: SpeakButtonController,
  options: UseSpeakButtonOptions,
): UseSpeakButtonResult {
  const latest = useRef({ controller, options })
  latest.current = { controller, options }
  const { status } = controller
  const action = speakButtonAction(status)
  return {
    status,
    action,
    getButtonProps: <E extends HTMLElement>(user: HTMLAttributes<E> = {}) => ({
      ...user,
      onClick(event: MouseEvent<E>) {
        user.onClick?.(event)
        if (event.defaultPrevented) return
        const { controller: c, options: o } = latest.current
        const now = speakButtonAction(c.status)
        if (now === 'unblock') c.unlock()
        else if (now === 'speak') void c.speak({ text: o.text, voice: o.voice }, { interrupt: true })
        else c.stop()
      },
    }),
  }
}
