// Dictation is inserted as a native edit in every engine: input event, caret after it, and the
// browser's own undo takes it back.
import { afterEach, expect, test } from 'vitest'
import { insertAtCaret } from './insert'

afterEach(() => {
  document.body.replaceChildren()
})

for (const tag of ['input', 'textarea'] as const) {
  test(`${tag}: inserted at the caret through the native undo stack`, () => {
    const field = document.createElement(tag)
    field.value = 'Hello world'
    document.body.append(field)
    const inputs: string[] = []
    field.addEventListener('input', (event) => inputs.push((event as InputEvent).inputType))
    field.focus()
    field.setSelectionRange(5, 5)
    expect(insertAtCaret(field, 'big')).toBeNull()
    expect(field.value).toBe('Hello big world')
    expect(field.selectionStart).toBe('Hello big'.length)
    expect(inputs).toEqual(['insertText'])
    document.execCommand('undo')
    expect(field.value).toBe('Hello world')
  })
}
