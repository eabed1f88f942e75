import { defaultMaxDurationMs, type Transcript } from '@voicekit/core'
import { type UseTranscribeOptions, useTranscribe, useVoiceContext } from '@voicekit/react'
import { forwardRef, type InputHTMLAttributes, type KeyboardEvent, useRef } from 'react'
import { clock, cx, errorText, fill, useAnnouncement } from '../internal/util'
import {
  defaultMicButtonLabels,
  isActive,
  MicButton,
  type MicButtonLabels,
  micMessage,
  micState,
} from '../mic-button/MicButton'
import { insertAtCaret, setFieldValue, type TextField, type UndoEntry } from './insert'

export interface VoiceInputLabels extends MicButtonLabels {
  cancel: string
  retry: string
  /** Shown while recording; `{elapsed}` and `{remaining}` are `m:ss`. */
  time: string
  /** Announced when a transcript had no words. */
  empty: string
}

export const defaultVoiceInputLabels: VoiceInputLabels = {
  ...defaultMicButtonLabels,
  done: 'Transcript inserted.',
  cancel: 'Cancel',
  retry: 'Retry',
  time: '{elapsed} · {remaining} left',
  empty: 'No speech was recognised.',
}

export interface VoiceInputProps extends Omit<InputHTMLAttributes<TextField>, 'children'> {
  /** A `<textarea>` instead of an `<input>`. */
  multiline?: boolean
  rows?: number
  /** `toggle` (default) or `hold` (hold-to-talk: pointer or Space held on the microphone). */
  mode?: 'toggle' | 'hold'
  /** Called with every transcript (after it was inserted, unless `insert` is false). */
  onTranscript?(transcript: Transcript): void
  /** Insert transcripts at the caret. Default true. */
  insert?: boolean
  /** Options for the underlying `useTranscribe` (transport, language, maxDurationMs, retries...). */
  options?: UseTranscribeOptions
  labels?: Partial<VoiceInputLabels>
}

/**
 * A text field with a microphone. Props other than the ones above (value, defaultValue,
 * onChange, placeholder, aria-label, id, name...) go to the field; `className` goes to the root.
 */
export const VoiceInput = forwardRef<TextField, VoiceInputProps>(function VoiceInput(
  { multiline, mode = 'toggle', onTranscript, insert = true, options, labels, className, ...field },
  ref,
) {
  const l = { ...defaultVoiceInputLabels, ...labels }
  const hold = mode === 'hold'
  const fieldRef = useRef<TextField | null>(null)
  const micRef = useRef<HTMLButtonElement>(null)
  const undo = useRef<UndoEntry[]>([])
  const empty = useRef(false)
  const propsRef = useRef({ onTranscript, insert })
  propsRef.current = { onTranscript, insert }
  const { transport } = useVoiceContext(options?.transport)
  const t = useTranscribe({
    ...options,
    onTranscript(transcript) {
      const text = transcript.text.trim()
      empty.current = !text
      const target = fieldRef.current
      if (text && target && propsRef.current.insert) {
        const entry = insertAtCaret(target, text)
        if (entry) undo.current.push(entry)
      }
      propsRef.current.onTranscript?.(transcript)
      options?.onTranscript?.(transcript)
    },
  })
  const state = micState(t.status)
  const active = isActive(t.status)
  const limitMs = options?.maxDurationMs ?? defaultMaxDurationMs(transport.input)
  const message = useAnnouncement(t.status, (status, previous) =>
    status === 'error' ? '' : status === 'done' && empty.current ? l.empty : micMessage(status, previous, l, hold, t),
  )

  const focusMic = () => micRef.current?.focus()
  const cancel = () => {
    t.cancel()
    focusMic()
  }
  const onKeyDown = (event: KeyboardEvent<TextField>) => {
    field.onKeyDown?.(event)
    const target = event.currentTarget
    const last = undo.current[undo.current.length - 1]
    if (event.defaultPrevented) return
    if (event.key === 'Escape' && active) {
      event.preventDefault()
      t.cancel()
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z' && last) {
      undo.current.pop()
      if (target.value !== last.after) return
      event.preventDefault()
      setFieldValue(target, last.before, last.end)
      target.setSelectionRange(last.start, last.end)
    }
  }
  const setRef = (element: TextField | null) => {
    fieldRef.current = element
    if (typeof ref === 'function') ref(element)
    else if (ref) ref.current = element
  }
  const fieldProps = { ...field, ref: setRef, className: 'vk-voice-input__field', onKeyDown }

  return (
    <div className={cx('vk-voice-input', className)} data-state={state} data-mode={mode}>
      <div className="vk-voice-input__row">
        {multiline ? <textarea {...(fieldProps as object)} /> : <input {...fieldProps} />}
        <MicButton ref={micRef} transcribe={t} mode={mode} labels={l} announce={false} />
        {active && (
          <button
            type="button"
            className="vk-button vk-voice-input__cancel"
            onClick={cancel}
            onKeyDown={(event) => event.key === 'Escape' && cancel()}
          >
            {l.cancel}
          </button>
        )}
      </div>
      <div className="vk-voice-input__status">
        <span role="status" aria-live="polite">
          {message}
        </span>
        {state === 'recording' && (
          <span className="vk-voice-input__time">
            {fill(l.time, {
              elapsed: clock(t.durationMs / 1000),
              remaining: clock(Math.ceil((limitMs - t.durationMs) / 1000)),
            })}
          </span>
        )}
      </div>
      {state === 'error' && (
        <div className="vk-voice-input__error">
          <span role="alert">{errorText(t.error, l.errors, l.error)}</span>
          <button
            type="button"
            className="vk-button"
            onClick={() => {
              t.retry()
              focusMic()
            }}
          >
            {l.retry}
          </button>
        </div>
      )}
    </div>
  )
})
