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
