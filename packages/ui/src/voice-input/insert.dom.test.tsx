import { cleanup, fireEvent, render } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, expect, test } from 'vitest'
import { insertAtCaret, setFieldValue, spaced } from './insert'

afterEach(cleanup)

test('spaces the text from its neighbours, never doubling a space', () => {
  expect(spaced('', 'hi', '')).toBe('hi')
  expect(spaced('Hello', 'there', 'world')).toBe(' there ')
  expect(spaced('Hello ', 'there', ' world')).toBe('there')
  expect(spaced('Line\n', 'there', '')).toBe('there')
})

test('inserts at the caret, replacing the selection, and leaves the caret after it (fallback path)', () => {
  const view = render(<input aria-label="f" defaultValue="Hello big world" />)
  const field = view.getByLabelText('f') as HTMLInputElement
  field.setSelectionRange(6, 9) // "big"
  const entry = insertAtCaret(field, 'small')
  expect(field.value).toBe('Hello small world')
  expect(field.selectionStart).toBe('Hello small'.length)
  expect(document.activeElement).toBe(field)
  // jsdom has no execCommand('insertText'): the undo entry comes back.
  expect(entry).toEqual({ before: 'Hello big world', after: 'Hello small world', start: 6, end: 9 })
})

function Controlled({ seen }: { seen: string[] }) {
  const [value, setValue] = useState('Note:')
  return (
    <textarea
      aria-label="f"
      value={value}
      onChange={(event) => {
        seen.push(event.target.value)
        setValue(event.target.value)
      }}
    />
  )
}

test('a controlled field sees the insertion through onChange, like typing', () => {
  const seen: string[] = []
  const view = render(<Controlled seen={seen} />)
  const field = view.getByLabelText('f') as HTMLTextAreaElement
  field.setSelectionRange(5, 5)
  insertAtCaret(field, 'buy milk')
  expect(seen).toEqual(['Note: buy milk'])
  expect(field.value).toBe('Note: buy milk')
  setFieldValue(field, 'Note:')
  expect(seen.at(-1)).toBe('Note:')
  fireEvent.input(field)
  expect(field.value).toBe('Note:')
})
