// Dictated text goes in at the caret as an edit the person can undo.
//
// Where the browser supports it (Chromium, Firefox, Safari), the text is inserted with
// `document.execCommand('insertText')`: a real edit, so it fires `input` (React's onChange
// runs, controlled or not) and lands on the field's native undo stack (Ctrl/Cmd+Z, the
// Edit menu, shake to undo). Elsewhere the value is set through the prototype's setter and
// an `input` event dispatched, and VoiceInput keeps its own undo entry, which its Ctrl/Cmd+Z
// handler restores while the field still holds exactly what the insertion left.

export type TextField = HTMLInputElement | HTMLTextAreaElement

export interface UndoEntry {
  before: string
  after: string
  start: number
  end: number
}

const selection = (field: TextField): [number, number] => {
  try {
    const start = field.selectionStart ?? field.value.length
    return [start, field.selectionEnd ?? start]
  } catch {
    return [field.value.length, field.value.length] // types without a selection, e.g. email
  }
}

const select = (field: TextField, start: number, end = start) => {
  try {
    field.setSelectionRange(start, end)
  } catch {}
}

/** Sets the value as if typed: React's value tracker sees it and onChange runs. */
export function setFieldValue(field: TextField, value: string, caret = value.length): void {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')?.set
  if (setter) setter.call(field, value)
  else field.value = value
  select(field, caret)
  field.dispatchEvent(new Event('input', { bubbles: true }))
}

/** `text` with a space on each side where it would otherwise run into a word. */
export function spaced(before: string, text: string, after: string): string {
  return (before && !/\s$/.test(before) ? ' ' : '') + text + (after && !/^\s/.test(after) ? ' ' : '')
}

/**
 * Inserts `text` at the caret (replacing the selection) and leaves the caret after it.
 * Returns null when the browser's undo stack holds the edit, otherwise the entry to undo it.
 */
export function insertAtCaret(field: TextField, text: string): UndoEntry | null {
  const before = field.value
  const [start, end] = selection(field)
  const piece = spaced(before.slice(0, start), text, before.slice(end))
  field.focus()
  select(field, start, end)
  try {
    if (document.execCommand('insertText', false, piece) && field.value !== before) return null
  } catch {}
  const after = before.slice(0, start) + piece + before.slice(end)
  setFieldValue(field, after, start + piece.length)
  return { before, after, start, end }
}
