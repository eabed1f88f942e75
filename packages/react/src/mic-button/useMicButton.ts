import type { VoiceStatus } from '@voicekit/core'
import type { HTMLAttributes, KeyboardEvent, MouseEvent, PointerEvent } from 'react'
import { useEffect, useRef, useState } from 'react'

/** What a microphone button drives: `useTranscribe()`, `useDictation()`, or anything with these five members. */
export interface MicButtonController {
  status: VoiceStatus
  start(): unknown
  stop(): unknown
  cancel(): void
  toggle(): void
}

export interface UseMicButtonOptions {
  /** `toggle` (default): press to start, press to stop. `hold` (push-to-talk): records while the pointer or Space is held. */
  mode?: 'toggle' | 'hold'
  /** Hold mode: the press that starts a recording. */
  onPttStart?(): void
  /** Hold mode: the release that ends it (`release`), or Escape while held (`cancel`). */
  onPttEnd?(reason: 'release' | 'cancel'): void
}

type Handlers<E> = Pick<
  HTMLAttributes<E>,
  'onClick' | 'onKeyDown' | 'onKeyUp' | 'onPointerDown' | 'onPointerUp' | 'onPointerCancel'
>

/** What the prop getters return: the element's attributes and handlers. */
export type MicButtonAttributes<E> = HTMLAttributes<E> & {
  /** Native buttons: true until the page has hydrated (a press before would be lost). Others get `aria-disabled`. */
  disabled?: boolean
  'aria-pressed': boolean
  /** The controller's status, as core says it. */
  'data-state': VoiceStatus
  'data-mode': 'toggle' | 'hold'
}

export interface UseMicButtonResult {
  /** The controller's status, unchanged. */
  status: VoiceStatus
  /** The microphone is open or about to be (requesting, listening, recording, paused): what `aria-pressed` says. */
  pressed: boolean
  /** Props for a `<button>`: pass your own handlers in, they run first (preventDefault skips ours). */
  getButtonProps<E extends HTMLElement = HTMLButtonElement>(props?: HTMLAttributes<E>): MicButtonAttributes<E>
  /** Props for any other element (a card, a key cap): adds `role="button"`, `tabIndex` and Enter/Space. */
  getTriggerProps<E extends HTMLElement = HTMLElement>(props?: HTMLAttributes<E>): MicButtonAttributes<E>
}

const PRESSED: readonly VoiceStatus[] = ['requesting', 'listening', 'recording', 'paused']

const isNative = (element: Element) => element.tagName === 'BUTTON' || element.tagName === 'INPUT'

/**
 * Push-to-talk and toggle for any element, headless: click toggles; in hold mode the pointer or
 * Space held records and releasing stops (key repeat ignored, Enter still toggles); Escape cancels;
 * `aria-pressed` and `data-state` follow the controller. `MicButton` is this plus looks.
 */
export function useMicButton(controller: MicButtonController, options: UseMicButtonOptions = {}): UseMicButtonResult {
  const { mode = 'toggle' } = options
  const hold = mode === 'hold'
  const c = controller
  const held = useRef(false)
  const clickAfterSpace = useRef(false)
  const latest = useRef({ c, options })
  latest.current = { c, options }
  const { status } = c
  const pressed = PRESSED.includes(status)
  // Until the page has hydrated, a press would be lost (server-rendered HTML has no handlers yet): the
  // control says so by being disabled, and is enabled by the first effect. Server and first client render
  // agree (both disabled), so hydration matches.
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])

  const press = () => {
    if (held.current) return
    held.current = true
    latest.current.c.start()
    latest.current.options.onPttStart?.()
  }
  const release = (reason: 'release' | 'cancel') => {
    if (!held.current) return
    held.current = false
    if (reason === 'release') latest.current.c.stop()
    latest.current.options.onPttEnd?.(reason)
  }

  function props<E extends HTMLElement>(user: HTMLAttributes<E> = {}, native: boolean): MicButtonAttributes<E> {
    const onKey = (down: boolean) => (event: KeyboardEvent<E>) => {
      ;(down ? user.onKeyDown : user.onKeyUp)?.(event)
      if (event.defaultPrevented) return
      const now = latest.current.c.status
      const plain = !isNative(event.currentTarget)
      if (down && event.key === 'Escape' && now !== 'idle' && now !== 'done') {
        event.preventDefault()
        latest.current.c.cancel()
        release('cancel')
      } else if (hold && event.key === ' ') {
        event.preventDefault() // no click: Space is press-and-hold here
        if (!down) {
          clickAfterSpace.current = true
          setTimeout(() => {
            clickAfterSpace.current = false
          })
          release('release')
        } else if (!event.repeat) press()
      } else if (plain && ((down && event.key === 'Enter') || (!down && event.key === ' '))) {
        // What a native button does on its own: Enter on key down, Space on key up.
        event.preventDefault()
        latest.current.c.toggle()
      } else if (plain && down && event.key === ' ') event.preventDefault() // no scrolling
    }
    const handlers: Handlers<E> = {
      onKeyDown: onKey(true),
      onKeyUp: onKey(false),
      onPointerDown(event: PointerEvent<E>) {
        user.onPointerDown?.(event)
        if (!hold || event.button !== 0 || event.defaultPrevented) return
        event.currentTarget.setPointerCapture?.(event.pointerId)
        press()
      },
      onPointerUp(event: PointerEvent<E>) {
        user.onPointerUp?.(event)
        if (hold) release('release')
      },
      onPointerCancel(event: PointerEvent<E>) {
        user.onPointerCancel?.(event)
        if (hold) release('release')
      },
      onClick(event: MouseEvent<E>) {
        user.onClick?.(event)
        // Hold mode: the pointer already acted, and Space acts on its own; a keyboard click (Enter) toggles.
        if (event.defaultPrevented || clickAfterSpace.current || (hold && event.detail > 0)) return
        latest.current.c.toggle()
      },
    }
    const waiting = hydrated ? {} : native ? { disabled: true } : { 'aria-disabled': true }
    return {
      ...(native ? {} : { role: 'button', tabIndex: 0 }),
      ...waiting,
      ...user,
      ...handlers,
      'aria-pressed': pressed,
      'data-state': status,
      'data-mode': mode,
    }
  }

  return {
    status,
    pressed,
    getButtonProps: (user) => props(user, true),
    getTriggerProps: (user) => props(user, false),
  }
}
