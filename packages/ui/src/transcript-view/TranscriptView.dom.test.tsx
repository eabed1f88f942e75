import { cleanup, fireEvent, render } from '@testing-library/react'
import { afterEach, expect, test, vi } from 'vitest'
import { TranscriptView } from './TranscriptView'

afterEach(cleanup)

const transcript = {
  text: 'one two three',
  segments: [
    { text: 'one', start: 0, end: 1.5 },
    { text: 'two', start: 1.5, end: null },
    { text: 'three', start: 65, end: null },
  ],
}

test('segments with m:ss timestamps; plain items without a seek target', () => {
  const view = render(<TranscriptView transcript={transcript} />)
  const items = view.getAllByRole('listitem')
  expect(items.map((item) => item.textContent)).toEqual(['0:00 one', '0:01 two', '1:05 three'])
  expect(view.queryByRole('button')).toBeNull()
})

test('onSeek: each segment is a button; the current one is marked (an open end runs to the next start)', () => {
  const onSeek = vi.fn()
  const view = render(<TranscriptView transcript={transcript} onSeek={onSeek} currentTime={30} />)
  const two = view.getByRole('button', { name: 'Play from 0:01 two' })
  expect(two.getAttribute('aria-current')).toBe('true')
  fireEvent.click(view.getByRole('button', { name: 'Play from 1:05 three' }))
  expect(onSeek).toHaveBeenCalledWith(65)
})

test('media: a click seeks the element and plays it', () => {
  const media = document.createElement('audio')
  const play = vi.spyOn(media, 'play').mockResolvedValue()
  const view = render(<TranscriptView transcript={transcript} media={media} />)
  fireEvent.click(view.getByRole('button', { name: /two/ }))
  expect(media.currentTime).toBe(1.5)
  expect(play).toHaveBeenCalled()
})

test('text without segments; translated list name', () => {
  const view = render(
    <TranscriptView transcript={{ text: 'hello', segments: [] }} labels={{ transcript: 'Abschrift' }} />,
  )
  expect(view.getByRole('list', { name: 'Abschrift' }).textContent).toBe(' hello')
})

const worded = {
  text: 'one two three four',
  segments: [
    { text: 'one two', start: 0, end: 1 },
    { text: 'three four', start: 1, end: 2 },
  ],
  words: [
    { text: 'one', start: 0, end: 0.4 },
    { text: ' two', start: 0.5, end: 1 },
    { text: 'three', start: 1, end: 1.5 },
    { text: 'four', start: 1.5, end: null },
  ],
}

test('word timestamps: each segment shows its words, and the word at the time lights up', () => {
  const view = render(<TranscriptView transcript={worded} currentTime={1.2} />)
  const words = view.container.querySelectorAll<HTMLElement>('.vk-transcript__word')
  expect([...words].map((w) => w.textContent)).toEqual(['one', 'two', 'three', 'four'])
  expect(view.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['0:00 one two', '0:01 three four'])
  expect([...words].map((w) => w.dataset.state ?? '')).toEqual(['', '', 'current', ''])
  expect(view.getAllByRole('listitem')[1]?.dataset.state).toBe('current')
  // Between two words (0.4…0.5) nothing is lit.
  view.rerender(<TranscriptView transcript={worded} currentTime={0.45} />)
  expect(view.container.querySelector('[data-state="current"].vk-transcript__word')).toBeNull()
})

test('a click on a word seeks to the word; the segment button (keyboard) to the segment', () => {
  const onSeek = vi.fn()
  const view = render(<TranscriptView transcript={worded} onSeek={onSeek} />)
  fireEvent.click(view.getByText('four'))
  expect(onSeek).toHaveBeenLastCalledWith(1.5)
  const first = view.getAllByRole('button')[0]!
  expect(first.textContent).toBe('Play from 0:00 one two')
  fireEvent.click(first)
  expect(onSeek).toHaveBeenLastCalledWith(0)
})

test('words without segments make one segment', () => {
  const view = render(<TranscriptView transcript={{ ...worded, segments: [] }} currentTime={0.2} />)
  expect(view.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['0:00 one two three four'])
  expect(view.getByText('one').dataset.state).toBe('current')
})
