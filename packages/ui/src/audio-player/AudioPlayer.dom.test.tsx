// The bar, the time and the spoken value share one scale; while the speech still streams in, the time says so.

import { act, cleanup, render } from '@testing-library/react'
import { VoiceError } from '@voicekit/core'
import { afterEach, expect, test, vi } from 'vitest'
import { AudioPlayer, type PlayerController } from './AudioPlayer'

afterEach(cleanup)

const controller = (state: Partial<PlayerController> & { status: PlayerController['status'] }): PlayerController => ({
  error: null,
  currentTime: 0,
  bufferedFrom: 0,
  bufferedUntil: 0,
  playbackRate: 1,
  pause: vi.fn(),
  resume: vi.fn(),
  unlock: vi.fn(),
  setPlaybackRate: vi.fn(),
  ...state,
})

const timeOf = (view: ReturnType<typeof render>) => view.container.querySelector('.vk-player__time')?.textContent

test('0.7 s played of 0.9 s received: "0:00 of 0:01 so far", never "0:00 of 0:00" beside a bar ¾ full', () => {
  const view = render(<AudioPlayer player={controller({ status: 'playing', currentTime: 0.7, bufferedUntil: 0.9 })} />)
  const bar = view.getByRole('progressbar')
  expect(timeOf(view)).toBe('0:00 of 0:01 so far')
  expect(bar.getAttribute('aria-valuetext')).toBe('0:00 of 0:01 so far')
  expect(bar.getAttribute('aria-valuenow')).toBe('0.7')
  expect(bar.getAttribute('aria-valuemax')).toBe('0.9')
  expect(Number(bar.style.getPropertyValue('--vk-played'))).toBeCloseTo(0.7 / 0.9, 5)
})

test('the text never reads less than the bar: total rounds up, current rounds down', () => {
  for (const [current, received] of [
    [0.2, 0.4],
    [1.5, 1.6],
    [59.9, 60.2],
    [3, 3],
  ] as const) {
    const view = render(
      <AudioPlayer player={controller({ status: 'playing', currentTime: current, bufferedUntil: received })} />,
    )
    const [shownCurrent, shownTotal] = (timeOf(view) ?? '').match(/\d+:\d\d/g)!.map((clock) => {
      const [m, s] = clock.split(':').map(Number)
      return m! * 60 + s!
    })
    expect(shownCurrent).toBeLessThanOrEqual(current)
    expect(shownTotal).toBeGreaterThanOrEqual(received)
    view.unmount()
  }
})

test('with a known duration, or once ended, the time is plain "of"', () => {
  const known = render(
    <AudioPlayer duration={10} player={controller({ status: 'playing', currentTime: 2.2, bufferedUntil: 4 })} />,
  )
  expect(timeOf(known)).toBe('0:02 of 0:10')
  known.unmount()
  const ended = render(<AudioPlayer player={controller({ status: 'done', currentTime: 4.2, bufferedUntil: 4.2 })} />)
  expect(timeOf(ended)).toBe('0:04 of 0:05')
})

test('announceErrors={false}: a failed request gives no second message (the SpeakButton beside it reports it)', () => {
  const failed = { status: 'error' as const, error: new VoiceError('invalid_request', 'Text has nothing to speak.') }
  const view = render(<AudioPlayer player={controller({ status: 'idle' })} announceErrors={false} />)
  act(() => view.rerender(<AudioPlayer player={controller(failed)} announceErrors={false} />))
  expect(view.getByRole('status').textContent).toBe('')
  const shown = render(<AudioPlayer player={controller({ status: 'idle' })} />)
  act(() => shown.rerender(<AudioPlayer player={controller(failed)} />))
  expect(shown.getAllByRole('status')[1]!.textContent).toBe('The audio could not be played.')
})

test("each status change is announced with the label of core's status word (done, not ended)", () => {
  const view = render(<AudioPlayer player={controller({ status: 'idle' })} />)
  const status = view.getByRole('status')
  const group = view.getByRole('group')
  const said: [PlayerController['status'], string][] = [
    ['loading', 'Loading audio…'],
    ['buffering', 'Buffering…'],
    ['playing', ''],
    ['paused', 'Paused.'],
    ['blocked', 'The browser blocked the audio. Press Play to hear it.'],
    ['done', 'Finished.'],
  ]
  for (const [now, words] of said) {
    view.rerender(<AudioPlayer player={controller({ status: now })} labels={{ done: 'Finished.' }} />)
    expect(group.dataset.state).toBe(now)
    expect(status.textContent).toBe(words)
  }
})
