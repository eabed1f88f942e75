// useAudioPlayer on a plain button: what the play/pause toggle does in each of the player's statuses.
import { cleanup, fireEvent, render } from '@testing-library/react'
import type { VoiceStatus } from '@voicekit/core'
import { afterEach, expect, test, vi } from 'vitest'
import { type AudioPlayerController, type UseAudioPlayerOptions, useAudioPlayer } from './useAudioPlayer'

afterEach(cleanup)

const controller = (status: VoiceStatus): AudioPlayerController => ({
  status,
  pause: vi.fn(),
  resume: vi.fn(),
  unlock: vi.fn(),
})

function Toggle({ c, options }: { c: AudioPlayerController; options?: UseAudioPlayerOptions }) {
  const toggle = useAudioPlayer(c, options)
  return (
    <button type="button" {...toggle.getToggleProps()}>
      {toggle.running ? 'Pause' : 'Play'}
    </button>
  )
}

test('pauses while loading, buffering or playing; resumes when paused; unblocks; otherwise onPlay', () => {
  const cases: [VoiceStatus, 'pause' | 'resume' | 'unlock' | 'onPlay'][] = [
    ['loading', 'pause'],
    ['buffering', 'pause'],
    ['playing', 'pause'],
    ['paused', 'resume'],
    ['blocked', 'unlock'],
    ['idle', 'onPlay'],
    ['done', 'onPlay'],
    ['error', 'onPlay'],
  ]
  for (const [status, expected] of cases) {
    const c = controller(status)
    const onPlay = vi.fn()
    const view = render(<Toggle c={c} options={{ onPlay }} />)
    const button = view.getByRole('button')
    expect(button.textContent).toBe(expected === 'pause' ? 'Pause' : 'Play')
    fireEvent.click(button)
    expect(c.pause).toHaveBeenCalledTimes(expected === 'pause' ? 1 : 0)
    expect(c.resume).toHaveBeenCalledTimes(expected === 'resume' ? 1 : 0)
    expect(c.unlock).toHaveBeenCalledTimes(expected === 'unlock' ? 1 : 0)
    expect(onPlay).toHaveBeenCalledTimes(expected === 'onPlay' ? 1 : 0)
    cleanup()
  }
})

test('nothing loaded and no onPlay: disabled', () => {
  const view = render(<Toggle c={controller('idle')} />)
  expect(view.getByRole('button')).toHaveProperty('disabled', true)
})
