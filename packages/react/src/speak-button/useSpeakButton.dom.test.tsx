// useSpeakButton on a plain button: what a press does in each of the player's statuses.
import { cleanup, fireEvent, render } from '@testing-library/react'
import type { VoiceStatus } from '@voicekit/core'
import { afterEach, expect, test, vi } from 'vitest'
import { type SpeakButtonController, useSpeakButton } from './useSpeakButton'

afterEach(cleanup)

function controller(status: VoiceStatus): SpeakButtonController {
  return { status, speak: vi.fn(), stop: vi.fn(), unlock: vi.fn() }
}

function Reader({ c }: { c: SpeakButtonController }) {
  const button = useSpeakButton(c, { text: 'Hello.', voice: 'v1' })
  return (
    <button type="button" data-state={button.status} {...button.getButtonProps()}>
      {button.action}
    </button>
  )
}

test('a press speaks when idle, done or failed; stops while loading, buffering, playing or paused; unblocks when blocked', () => {
  const expected: Record<string, 'speak' | 'stop' | 'unblock'> = {
    idle: 'speak',
    done: 'speak',
    error: 'speak',
    loading: 'stop',
    buffering: 'stop',
    playing: 'stop',
    paused: 'stop',
    blocked: 'unblock',
  }
  for (const [status, action] of Object.entries(expected)) {
    const c = controller(status as VoiceStatus)
    const view = render(<Reader c={c} />)
    const button = view.getByRole('button')
    expect(button.textContent).toBe(action)
    expect(button.dataset.state).toBe(status)
    fireEvent.click(button)
    if (action === 'speak') expect(c.speak).toHaveBeenCalledWith({ text: 'Hello.', voice: 'v1' }, { interrupt: true })
    else expect(c.speak).not.toHaveBeenCalled()
    expect(c.stop).toHaveBeenCalledTimes(action === 'stop' ? 1 : 0)
    expect(c.unlock).toHaveBeenCalledTimes(action === 'unblock' ? 1 : 0)
    cleanup()
  }
})

function Custom({ c }: { c: SpeakButtonController }) {
  const button = useSpeakButton(c, { text: 'Hi.' })
  return <button type="button" {...button.getButtonProps({ onClick: (event) => event.preventDefault() })} />
}

test("the button's own onClick runs first; preventDefault keeps ours out", () => {
  const c = controller('idle')
  const view = render(<Custom c={c} />)
  fireEvent.click(view.getByRole('button'))
  expect(c.speak).not.toHaveBeenCalled()
})
