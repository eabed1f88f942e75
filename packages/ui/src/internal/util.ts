// Small helpers shared by the components (not exported from the package).
import type { VoiceError, VoiceStatus } from '@voicekit/core'
import { useEffect, useRef, useState } from 'react'

/** Nothing going on, or finished: any other status of a capture can be cancelled. */
export const settled = (status: VoiceStatus): boolean => status === 'idle' || status === 'done' || status === 'error'

export const cx = (...names: unknown[]): string => names.filter(Boolean).join(' ')

/** Seconds as `m:ss`. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds || 0))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** `fill('{a} of {b}', { a: '1', b: '2' })` → `1 of 2`. */
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match)

/** Messages for the errors a person can act on, by VoiceError code; any other code gets `error`. */
export type ErrorLabels = Partial<Record<VoiceError['code'], string>>

export const defaultErrorLabels: ErrorLabels = {
  permission_denied: 'Microphone access is blocked. Allow it in the browser to dictate.',
  no_microphone: 'No microphone was found.',
  microphone_busy: 'The microphone is in use by another app.',
  not_supported: 'This browser cannot record audio.',
  no_audio: 'Nothing was recorded.',
  recording_too_short: 'The recording was too short.',
  network: 'The speech service could not be reached.',
  timeout: 'The speech service took too long to answer.',
  playback_blocked: 'The browser blocked the audio.',
}

export const errorText = (error: VoiceError | null, errors: ErrorLabels | undefined, fallback: string): string =>
  error ? (errors?.[error.code] ?? defaultErrorLabels[error.code] ?? fallback) : ''

/**
 * The message for an aria-live region: `message(state, previous)` is evaluated when
 * `state` changes (not on other renders), so a status is announced once.
 */
export function useAnnouncement<S>(state: S, message: (state: S, previous: S) => string): string {
  const [text, setText] = useState('')
  const previous = useRef(state)
  const messageRef = useRef(message)
  messageRef.current = message
  useEffect(() => {
    if (previous.current === state) return
    setText(messageRef.current(state, previous.current))
    previous.current = state
  }, [state])
  return text
}
