// MicButton's keyboard and pointer handling, driven against a hand-made controller.
import { act, cleanup, fireEvent, render } from '@testing-library/react'
import { type LevelSource, VoiceError, type VoiceStatus } from '@voicekit/core'
import { afterEach, expect, test, vi } from 'vitest'
import { MicButton, type MicButtonTarget } from './MicButton'

afterEach(cleanup)

const level: LevelSource = { get: () => 0, subscribe: () => () => {} }
function controller(status: VoiceStatus = 'idle'): MicButtonTarget {
  return { status, error: null, level, start: vi.fn(), stop: vi.fn(), cancel: vi.fn(), toggle: vi.fn() }
}
// MicButton runs its own useTranscribe only when given none; the hook is replaced here (no
// VoiceProvider needed) and its calls counted.
const own = vi.hoisted(() => ({ calls: 0 }))
vi.mock('@voicekit/react', async (original) => ({
  ...(await original<object>()),
  useTranscribe: () => {
    own.calls++
    return controller()
  },
}))

test('toggle mode: a click toggles; aria-pressed and data-state follow the status', () => {
  const c = controller()
  const view = render(<MicButton transcribe={c} />)
  const mic = view.getByRole('button', { name: 'Dictate' })
  expect(mic).toHaveProperty('ariaPressed', 'false')
  fireEvent.click(mic)
  expect(c.toggle).toHaveBeenCalledTimes(1)
  view.rerender(<MicButton transcribe={{ ...c, status: 'recording' }} />)
  expect(mic.getAttribute('aria-pressed')).toBe('true')
  expect(mic.dataset.state).toBe('recording')
  view.rerender(<MicButton transcribe={{ ...c, status: 'stopping' }} />)
  expect(mic.dataset.state).toBe('stopping')
  expect(mic.getAttribute('aria-pressed')).toBe('false')
})

test('announces status changes once, in a polite live region', async () => {
  const c = controller()
  const view = render(<MicButton transcribe={c} />)
  const status = view.getByRole('status')
  expect(status.getAttribute('aria-live')).toBe('polite')
  expect(status.textContent).toBe('')
  view.rerender(<MicButton transcribe={{ ...c, status: 'recording' }} />)
  expect(status.textContent).toBe('Recording. Press again to stop, Escape to cancel.')
  view.rerender(<MicButton transcribe={{ ...c, status: 'idle' }} />)
  expect(status.textContent).toBe('Recording cancelled.')
  view.rerender(<MicButton transcribe={{ ...c, status: 'transcribing' }} />)
  view.rerender(<MicButton transcribe={{ ...c, status: 'done' }} />)
  expect(status.textContent).toBe('Transcript ready.')
})

test('Escape cancels while active, and does nothing when idle', () => {
  const c = controller('recording')
  const view = render(<MicButton transcribe={c} />)
  const mic = view.getByRole('button')
  fireEvent.keyDown(mic, { key: 'Escape' })
  expect(c.cancel).toHaveBeenCalledTimes(1)
  const idle = controller()
  view.rerender(<MicButton transcribe={idle} />)
  fireEvent.keyDown(mic, { key: 'Escape' })
  expect(idle.cancel).not.toHaveBeenCalled()
})

test('hold mode: Space down starts once (repeats ignored), Space up stops, no click toggles', () => {
  const c = controller()
  const view = render(<MicButton transcribe={c} mode="hold" />)
  const mic = view.getByRole('button')
  fireEvent.keyDown(mic, { key: ' ' })
  fireEvent.keyDown(mic, { key: ' ', repeat: true })
  fireEvent.keyDown(mic, { key: ' ', repeat: true })
  expect(c.start).toHaveBeenCalledTimes(1)
  fireEvent.keyUp(mic, { key: ' ' })
  expect(c.stop).toHaveBeenCalledTimes(1)
  fireEvent.click(mic, { detail: 0 }) // a browser's click after Space keyup
  expect(c.toggle).not.toHaveBeenCalled()
})

test('hold mode: the pointer records while pressed; Enter (a keyboard click) toggles', async () => {
  const c = controller()
  const view = render(<MicButton transcribe={c} mode="hold" />)
  const mic = view.getByRole('button')
  fireEvent.pointerDown(mic, { button: 0, pointerId: 1 })
  expect(c.start).toHaveBeenCalledTimes(1)
  fireEvent.pointerUp(mic, { pointerId: 1 })
  fireEvent.click(mic, { detail: 1 })
  expect(c.stop).toHaveBeenCalledTimes(1)
  expect(c.toggle).not.toHaveBeenCalled()
  await act(() => new Promise((resolve) => setTimeout(resolve)))
  fireEvent.click(mic, { detail: 0 })
  expect(c.toggle).toHaveBeenCalledTimes(1)
})

test('labels replace every string', () => {
  const c = controller()
  const view = render(<MicButton transcribe={c} labels={{ mic: 'Diktieren', recording: 'Aufnahme.' }} />)
  view.getByRole('button', { name: 'Diktieren' })
  view.rerender(
    <MicButton transcribe={{ ...c, status: 'recording' }} labels={{ mic: 'Diktieren', recording: 'Aufnahme.' }} />,
  )
  expect(view.getByRole('status').textContent).toBe('Aufnahme.')
})

test('a controller passed in is driven without making a second one; without it, one of its own', () => {
  own.calls = 0
  const c = controller()
  const view = render(<MicButton transcribe={c} />)
  view.rerender(<MicButton transcribe={{ ...c, status: 'recording' }} />)
  fireEvent.click(view.getByRole('button'))
  expect(own.calls).toBe(0)
  cleanup()
  render(<MicButton />)
  expect(own.calls).toBe(1)
})

test('the state is shown in words beside the button, not only in colour', () => {
  const c = controller()
  const view = render(<MicButton transcribe={c} />)
  const status = view.getByRole('status')
  expect(status.className).toBe('vk-mic__status')
  view.rerender(<MicButton transcribe={{ ...c, status: 'requesting' }} />)
  view.rerender(<MicButton transcribe={{ ...c, status: 'error', error: new VoiceError('network', 'down') }} />)
  expect(status.textContent).toBe('The speech service could not be reached.')
  expect(status.dataset.state).toBe('error')
  view.rerender(<MicButton transcribe={c} showStatus={false} />)
  expect(view.getByRole('status').className).toBe('vk-sr-only')
})

test('hold mode: onPttStart on press, onPttEnd on release, and "cancel" on Escape while held', () => {
  const c = controller()
  const onPttStart = vi.fn()
  const onPttEnd = vi.fn()
  const view = render(<MicButton transcribe={c} mode="hold" onPttStart={onPttStart} onPttEnd={onPttEnd} />)
  const mic = view.getByRole('button')
  fireEvent.pointerDown(mic, { button: 0, pointerId: 1 })
  expect(onPttStart).toHaveBeenCalledTimes(1)
  fireEvent.pointerUp(mic, { pointerId: 1 })
  expect(onPttEnd).toHaveBeenLastCalledWith('release')
  view.rerender(
    <MicButton transcribe={{ ...c, status: 'recording' }} mode="hold" onPttStart={onPttStart} onPttEnd={onPttEnd} />,
  )
  fireEvent.keyDown(mic, { key: ' ' })
  fireEvent.keyDown(mic, { key: 'Escape' })
  expect(c.cancel).toHaveBeenCalledTimes(1)
  expect(onPttEnd).toHaveBeenLastCalledWith('cancel')
  expect(onPttEnd).toHaveBeenCalledTimes(2)
})

test("every status is core's word in data-state, and its own label in words", () => {
  const c = controller()
  const view = render(<MicButton transcribe={c} />)
  const mic = view.getByRole('button')
  const status = view.getByRole('status')
  const said: Record<string, string> = {
    requesting: 'Waiting for the microphone…',
    listening: 'Listening. Start speaking, Escape to cancel.',
    recording: 'Recording. Press again to stop, Escape to cancel.',
    paused: 'Paused.',
    stopping: 'Finishing the recording…',
    transcribing: 'Transcribing…',
    done: 'Transcript ready.',
  }
  for (const [now, words] of Object.entries(said)) {
    view.rerender(<MicButton transcribe={{ ...c, status: now as VoiceStatus }} />)
    expect(mic.dataset.state).toBe(now)
    expect(status.dataset.state).toBe(now)
    expect(status.textContent).toBe(words)
  }
})
