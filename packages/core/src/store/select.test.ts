import { expect, test, vi } from 'vitest'
import { select, shallowEqual } from './select'
import { createStore } from './store'

test('a selection notifies only when the selected part changes, and keeps its snapshot otherwise', () => {
  const store = createStore({ status: 'playing', currentTime: 0 })
  const status = select(store, (s) => s.status)
  const listener = vi.fn()
  status.subscribe(listener)
  for (let t = 1; t <= 8; t++) store.update({ currentTime: t / 4 })
  expect(listener).not.toHaveBeenCalled()
  expect(status.getSnapshot()).toBe('playing')
  store.update({ status: 'ended' })
  expect(listener).toHaveBeenCalledTimes(1)
  expect(status.getSnapshot()).toBe('ended')
})

test('with shallowEqual, an object selection keeps the same object while its fields are equal', () => {
  const store = createStore({ status: 'idle', error: null as string | null, currentTime: 0 })
  const view = select(store, ({ status, error }) => ({ status, error }), shallowEqual)
  const first = view.getSnapshot()
  const listener = vi.fn()
  const off = view.subscribe(listener)
  store.update({ currentTime: 3 })
  expect(view.getSnapshot()).toBe(first)
  expect(listener).not.toHaveBeenCalled()
  store.update({ error: 'boom' })
  expect(view.getSnapshot()).toEqual({ status: 'idle', error: 'boom' })
  expect(listener).toHaveBeenCalledTimes(1)
  off()
  store.update({ status: 'playing' })
  expect(listener).toHaveBeenCalledTimes(1)
})

test('shallowEqual', () => {
  expect(shallowEqual({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true)
  expect(shallowEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
  expect(shallowEqual({ a: {} }, { a: {} })).toBe(false)
  expect(shallowEqual(null, {})).toBe(false)
  expect(shallowEqual(NaN, NaN)).toBe(true)
})
