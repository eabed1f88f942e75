import { defaultMaxDurationMs, type Transcript } from '@voicekit/core'
import {
  type UseDictationOptions,
  type UseDictationResult,
  type UseTranscribeOptions,
  useDictation,
  useTranscribe,
  useVoiceContext,
} from '@voicekit/react'
import { forwardRef, type InputHTMLAttributes, type KeyboardEvent, useEffect, useRef } from 'react'
import { clock, cx, errorText, fill, settled, useAnnouncement } from '../internal/util'
import { defaultMicButtonLabels, MicButton, type MicButtonLabels, micMessage } from '../mic-button/MicButton'
import { insertAtCaret, setFieldValue, spaced, type TextField, type UndoEntry } from './insert'

export interface VoiceInputLabels extends MicButtonLabels {
  cancel: string
  retry: string
  /** Shown while recording; `{elapsed}` and `{remaining}` are `m:ss`. */
  time: string
  /** Announced when a transcript had no words. */
  empty: string
  /** Continuous mode: shown while segments are still being transcribed; `{count}` is their number. */
  pending: string
  /** Continuous mode: shown while segments wait for the connection. */
  offline: string
  /** Real-time dictation: names the words heard but not yet final, shown (and announced) under the field. */
  interim: string
}

export const defaultVoiceInputLabels: VoiceInputLabels = {
  ...defaultMicButtonLabels,
  done: 'Transcript inserted.',
  cancel: 'Cancel',
  retry: 'Retry',
  time: '{elapsed} · {remaining} left',
  empty: 'No speech was recognised.',
  pending: 'Transcribing {count} more…',
  offline: 'Offline: your words are kept and will be sent when the connection returns.',
  interim: 'Hearing:',
}

export interface VoiceInputProps extends Omit<InputHTMLAttributes<TextField>, 'children'> {
  /** A `<textarea>` instead of an `<input>`. */
  multiline?: boolean
  rows?: number
  /** `toggle` (default) or `hold` (hold-to-talk: pointer or Space held on the microphone). */
  mode?: 'toggle' | 'hold'
  /** Called with every transcript, in both modes (after it was inserted, unless `insert` is false). */
  onTranscript?(transcript: Transcript): void
  /** Insert transcripts at the caret. Default true. */
  insert?: boolean
  /**
   * Options for the underlying `useTranscribe` (transport, language, maxDurationMs, retries...). With
   * `continuous`, the ones a dictation shares (transport, language, timestamps, retries, retryDelayMs,
   * deviceId, echoCancellation, noiseSuppression) go to it too, and `options.onTranscript` is called.
   */
  options?: UseTranscribeOptions
  /**
   * Continuous dictation (`useDictation`): the text appears in the field while the person speaks and
   * has no length limit; the whole dictation is one undo step. `true`, or `useDictation` options (they
   * win over `options`). Falls back to the single-file mode where AudioWorklet is missing.
   */
  continuous?: boolean | UseDictationOptions
  labels?: Partial<VoiceInputLabels>
}

/**
 * A text field with a microphone. Props other than the ones above (value, defaultValue,
 * onChange, placeholder, aria-label, id, name...) go to the field; `className` goes to the root.
 */
export const VoiceInput = forwardRef<TextField, VoiceInputProps>(function VoiceInput(
  { multiline, mode = 'toggle', onTranscript, insert = true, options, continuous, labels, className, ...field },
  ref,
) {
  const l = { ...defaultVoiceInputLabels, ...labels }
  const hold = mode === 'hold'
  const fieldRef = useRef<TextField | null>(null)
  const micRef = useRef<HTMLButtonElement>(null)
  const undo = useRef<UndoEntry[]>([])
  const empty = useRef(false)
  const propsRef = useRef({ onTranscript, insert, options })
  propsRef.current = { onTranscript, insert, options }
  const notify = (transcript: Transcript) => {
    propsRef.current.onTranscript?.(transcript)
    propsRef.current.options?.onTranscript?.(transcript)
  }
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
      notify(transcript)
    },
  })
  const d = useDictation(continuous ? dictationOptions(options, continuous) : {})
  const live = useLiveText(fieldRef, d, !!continuous, insert, undo)
  useDictationTranscript(d, !!continuous, notify)
  if (continuous) {
    empty.current = d.status === 'done' && !d.text
  }
  // One controller either way: both hooks speak core's status words, shown as they are.
  const c = continuous ? d : t
  const { status } = c
  const active = !settled(status)
  const limitMs = options?.maxDurationMs ?? defaultMaxDurationMs(transport.input)
  const message = useAnnouncement(status, (now, previous) =>
    now === 'error' ? '' : now === 'done' && empty.current ? l.empty : micMessage(now, previous, l, hold, c),
  )

  const focusMic = () => micRef.current?.focus()
  const cancel = () => {
    c.cancel()
    focusMic()
  }
  const onKeyDown = (event: KeyboardEvent<TextField>) => {
    field.onKeyDown?.(event)
    const target = event.currentTarget
    const last = undo.current[undo.current.length - 1]
    if (event.defaultPrevented) return
    if (event.key === 'Escape' && active) {
      event.preventDefault()
      c.cancel()
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
  const fieldProps = {
    ...field,
    ref: setRef,
    className: 'vk-voice-input__field',
    onKeyDown,
    'aria-busy': live ? true : field['aria-busy'],
  }

  return (
    <div className={cx('vk-voice-input', className)} data-state={status} data-mode={mode}>
      <div className="vk-voice-input__row">
        {multiline ? <textarea {...(fieldProps as object)} /> : <input {...fieldProps} />}
        <MicButton ref={micRef} transcribe={c} mode={mode} labels={l} announce={false} />
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
        {(status === 'recording' || status === 'paused') && !continuous && (
          <span className="vk-voice-input__time">
            {fill(l.time, {
              elapsed: clock(t.durationMs / 1000),
              remaining: clock(Math.ceil((limitMs - t.durationMs) / 1000)),
            })}
          </span>
        )}
        {continuous && (status === 'listening' || status === 'recording') && (
          <span className="vk-voice-input__time">{clock(d.durationMs / 1000)}</span>
        )}
        {continuous && d.pending > 0 && (
          <span className="vk-voice-input__pending" data-state={d.offline ? 'offline' : 'pending'}>
            {d.offline ? l.offline : fill(l.pending, { count: String(d.pending) })}
          </span>
        )}
      </div>
      {/* Real time: the words not yet final, apart from the field's text (the caret stays the person's).
          The line is there for the whole dictation, so the page does not move as words come and go. */}
      {continuous && d.mode === 'realtime' && active && (
        <p className="vk-voice-input__interim" aria-live="polite" data-state={d.interim ? 'hearing' : 'quiet'}>
          {d.interim && (
            <>
              <span className="vk-voice-input__interim-label">{l.interim}</span>{' '}
              <span className="vk-voice-input__interim-text">{d.interim}</span>
            </>
          )}
        </p>
      )}
      {status === 'error' && (
        <div className="vk-voice-input__error">
          <span role="alert">{errorText(c.error, l.errors, l.error)}</span>
          <button
            type="button"
            className="vk-button"
            onClick={() => {
              if (continuous) d.retry()
              else t.retry()
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

/** The dictation's options: what `options` shares with it, then `continuous`'s own. */
function dictationOptions(
  options: UseTranscribeOptions | undefined,
  continuous: true | UseDictationOptions,
): UseDictationOptions {
  const { transport, language, timestamps, retries, retryDelayMs, deviceId, echoCancellation, noiseSuppression } =
    options ?? {}
  const shared = {
    transport,
    language,
    timestamps,
    retries,
    retryDelayMs,
    deviceId,
    echoCancellation,
    noiseSuppression,
  }
  // Only what was given: an absent option must not override a default with undefined.
  const given = Object.fromEntries(Object.entries(shared).filter(([, value]) => value !== undefined))
  return { ...given, ...(continuous === true ? {} : continuous) }
}

/** Continuous mode: each finished dictation's transcript, once (after the live text put it in the field). */
function useDictationTranscript(d: UseDictationResult, enabled: boolean, notify: (transcript: Transcript) => void) {
  const notifyRef = useRef(notify)
  notifyRef.current = notify
  const told = useRef<Transcript | null>(null)
  useEffect(() => {
    if (!enabled || d.status !== 'done' || !d.transcript || told.current === d.transcript) return
    told.current = d.transcript
    notifyRef.current(d.transcript)
  }, [enabled, d.status, d.transcript])
}

/**
 * Continuous mode's live text: while dictating, the field shows what it held with the text so far
 * at the caret (set as a value, not an edit: the caret only moves forward as the text grows). When
 * the dictation ends, the field is put back and the whole text inserted as one edit, so one undo
 * takes the dictation back. A person who types meanwhile wins: the live text stops, and the final
 * text goes in at their caret. Returns whether live text is being shown (never with `insert={false}`).
 */
function useLiveText(
  fieldRef: { current: TextField | null },
  d: UseDictationResult,
  continuous: boolean,
  insert: boolean,
  undo: { current: UndoEntry[] },
): boolean {
  const enabled = continuous && insert
  const base = useRef<{ value: string; start: number; end: number; written: string | null } | null>(null)
  const capturing = d.status === 'requesting' || d.status === 'listening' || d.status === 'recording'
  const active = capturing || d.status === 'stopping' || d.status === 'transcribing'
  useEffect(() => {
    const field = fieldRef.current
    if (!enabled || !field) return
    if (active && !base.current) {
      const start = field.selectionStart ?? field.value.length
      base.current = { value: field.value, start, end: field.selectionEnd ?? start, written: null }
    }
    const b = base.current
    if (!b) return
    const edited = b.written !== null && field.value !== b.written
    if (active) {
      if (!d.text || edited) return
      const piece = spaced(b.value.slice(0, b.start), d.text, b.value.slice(b.end))
      const value = b.value.slice(0, b.start) + piece + b.value.slice(b.end)
      if (value === field.value) return
      setFieldValue(field, value, b.start + piece.length)
      b.written = value
      return
    }
    // A failed segment: the live text stays while the person can retry it.
    if (d.status === 'error' && b.written !== null) return
    base.current = null
    if (d.status === 'idle') {
      if (b.written !== null && !edited) setFieldValue(field, b.value, b.end)
      return
    }
    if (d.status !== 'done' && d.status !== 'error') return
    // One edit for the whole dictation: back to what the field held, then the text inserted.
    if (b.written !== null && !edited) {
      setFieldValue(field, b.value, b.end)
      field.setSelectionRange(b.start, b.end)
    }
    if (d.text) {
      const entry = insertAtCaret(field, d.text)
      if (entry) undo.current.push(entry)
    }
  }, [enabled, active, d.status, d.text, fieldRef, undo])
  return enabled && active
}
