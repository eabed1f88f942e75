import { afterEach, expect, test, vi } from 'vitest'
import type { PlayerStatus } from '../playback'
import { createStore } from '../store'
import { createBargeIn } from './barge-in'

afterEach(() => {
  vi.useRealTimers()
})

function fakePlayer(status: PlayerStatus = 'idle') {
  const store = createStore({ status, volume: 1 })
  return {
    ...store,
    stop: vi.fn(() => store.update({ status: 'idle' })),
    setVolume: vi.fn((volume: number) => store.update({ volume })),
  }
}

test('stop: the person starting to record stops speech that is playing (or still loading)', () => {
  for (const status of ['playing', 'loading', 'buffering'] as const) {
    const player = fakePlayer(status)
    createBargeIn(player).userStarted()
    expect(player.stop).toHaveBeenCalledTimes(1)
  }
  const idle = fakePlayer('done')
  createBargeIn(idle).userStarted()
  expect(idle.stop).not.toHaveBeenCalled()
})

test('duck: the volume drops while the person talks and comes back after', () => {
  const player = fakePlayer('playing')
  player.update({ volume: 0.8 })
  const barge = createBargeIn(player, { mode: 'duck', duckTo: 0.25 })
  barge.userStarted()
  barge.userStarted()
  expect(player.getSnapshot().volume).toBeCloseTo(0.2)
  expect(player.stop).not.toHaveBeenCalled()
  barge.userStopped()
  expect(player.getSnapshot().volume).toBe(0.8)
})

test('mode false does nothing', () => {
  const player = fakePlayer('playing')
  createBargeIn(player, { mode: false }).userStarted()
  expect(player.stop).not.toHaveBeenCalled()
  expect(player.setVolume).not.toHaveBeenCalled()
})

test('detected speech in the grace window after playback starts is our own speaker, not the person', () => {
  vi.useFakeTimers({ toFake: ['performance'] })
  const player = fakePlayer('buffering')
  const barge = createBargeIn(player, { graceMs: 800 })
  player.update({ status: 'playing' })
  vi.advanceTimersByTime(300)
  expect(barge.speechDetected()).toBe(false)
  expect(player.stop).not.toHaveBeenCalled()
  // A press of the microphone is the person, grace window or not.
  barge.userStarted()
  expect(player.stop).toHaveBeenCalledTimes(1)
  player.update({ status: 'playing' })
  vi.advanceTimersByTime(900)
  expect(barge.speechDetected()).toBe(true)
  expect(player.stop).toHaveBeenCalledTimes(2)
})

test('watchLevel: a level held above the threshold counts as speech; a blip does not', () => {
  vi.useFakeTimers({ toFake: ['performance'] })
  const player = fakePlayer('playing')
  vi.advanceTimersByTime(5000)
  const barge = createBargeIn(player, { graceMs: 0 })
  const level = createStore(0)
  const source = {
    get: level.getSnapshot,
    subscribe: (fn: (l: number) => void) => level.subscribe(() => fn(level.getSnapshot())),
  }
  const off = barge.watchLevel(source, 0.5, 150)
  level.set(0.9)
  vi.advanceTimersByTime(50)
  level.set(0.1)
  level.set(0.9)
  vi.advanceTimersByTime(100)
  level.set(0.8)
  expect(player.stop).not.toHaveBeenCalled()
  vi.advanceTimersByTime(100)
  level.set(0.85)
  expect(player.stop).toHaveBeenCalledTimes(1)
  off()
})

test('dispose restores a ducked volume and stops watching', () => {
  const player = fakePlayer('playing')
  const barge = createBargeIn(player, { mode: 'duck' })
  barge.userStarted()
  barge.dispose()
  expect(player.getSnapshot().volume).toBe(1)
})
