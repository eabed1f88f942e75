// useMicButton on elements that are not buttons: the prop getters make any element a microphone.
import { cleanup, fireEvent, render } from '@testing-library/react'
import type { VoiceStatus } from '@voicekit/core'
import { afterEach, expect, test, vi } from 'vitest'
import { type MicButtonController, useMicButton } from './useMicButton'

afterEach(cleanup)

function controller(status: VoiceStatus = 'idle'): MicButtonController {
  return { status, start: vi.fn(), stop: vi.fn(), cancel: vi.fn(), toggle: vi.fn() }
}

function Card({ c, mode }: { c: MicButtonController; mode?: 'toggle' | 'hold' }) {
  const mic = useMicButton(c, { mode })
  return <div {...mic.getTriggerProps({ className: 'card', 'aria-label': 'Talk' })}>{mic.status}</div>
}

test('any element: role, focus, aria-pressed, data-state; Enter and Space toggle like a button', () => {
  const c = controller()
  const view = render(<Card c={c} />)
  const card = view.getByRole('button', { name: 'Talk' })
  expect(card.tabIndex).toBe(0)
  expect(card.className).toBe('card')
  expect(card.getAttribute('aria-pressed')).toBe('false')
  expect(card.dataset.state).toBe('idle')
  fireEvent.keyDown(card, { key: 'Enter' })
  expect(c.toggle).toHaveBeenCalledTimes(1)
  fireEvent.keyDown(card, { key: ' ' })
  expect(c.toggle).toHaveBeenCalledTimes(1) // Space acts on release, as a button does
  fireEvent.keyUp(card, { key: ' ' })
  expect(c.toggle).toHaveBeenCalledTimes(2)
  fireEvent.click(card)
  expect(c.toggle).toHaveBeenCalledTimes(3)
  // data-state is core's status word as it is, and the microphone is pressed while it is open.
  for (const [status, pressed] of [
    ['requesting', 'true'],
    ['listening', 'true'],
    ['recording', 'true'],
    ['paused', 'true'],
    ['stopping', 'false'],
    ['transcribing', 'false'],
    ['done', 'false'],
    ['error', 'false'],
  ] as const) {
    view.rerender(<Card c={{ ...c, status }} />)
    expect(card.getAttribute('aria-pressed')).toBe(pressed)
    expect(card.dataset.state).toBe(status)
    expect(card.textContent).toBe(status)
  }
})

test('any element, hold mode: Space held records, release stops; Escape cancels', () => {
  const c = controller()
  const view = render(<Card c={c} mode="hold" />)
  const card = view.getByRole('button')
  fireEvent.keyDown(card, { key: ' ' })
  fireEvent.keyDown(card, { key: ' ', repeat: true })
  expect(c.start).toHaveBeenCalledTimes(1)
  fireEvent.keyUp(card, { key: ' ' })
  expect(c.stop).toHaveBeenCalledTimes(1)
  expect(c.toggle).not.toHaveBeenCalled()
  view.rerender(<Card c={{ ...c, status: 'recording' }} mode="hold" />)
  fireEvent.keyDown(card, { key: 'Escape' })
  expect(c.cancel).toHaveBeenCalledTimes(1)
})

function Stopper({ c }: { c: MicButtonController }) {
  const mic = useMicButton(c)
  return (
    <button type="button" {...mic.getButtonProps({ onClick: (event) => event.preventDefault() })}>
      Talk
    </button>
  )
}

test("the element's own handlers run first; preventDefault keeps ours out", () => {
  const c = controller()
  const view = render(<Stopper c={c} />)
  fireEvent.click(view.getByRole('button'))
  expect(c.toggle).not.toHaveBeenCalled()
  expect(view.getByRole('button').hasAttribute('tabindex')).toBe(false)
})

function Mic({ c }: { c: MicButtonController }) {
  const mic = useMicButton(c)
  return (
    <button type="button" {...mic.getButtonProps({ 'aria-label': 'Dictate' })}>
      {mic.status}
    </button>
  )
}

test('server-rendered, the microphone is disabled until the page has hydrated (a press before would be lost)', async () => {
  const { renderToString } = await import('react-dom/server')
  const c = controller()
  const html = renderToString(<Mic c={c} />)
  expect(html).toContain('disabled=""')
  expect(renderToString(<Card c={c} />)).toContain('aria-disabled="true"')
  // Mounted (its effects ran): enabled, and a click starts it.
  const view = render(<Mic c={c} />)
  const button = view.getByRole('button', { name: 'Dictate' })
  expect(button).toHaveProperty('disabled', false)
  fireEvent.click(button)
  expect(c.toggle).toHaveBeenCalledTimes(1)
  expect(view.container.innerHTML).not.toContain('aria-disabled')
})
