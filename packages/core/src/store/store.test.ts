import { expect, test, vi } from 'vitest'
import { createStore } from './store'

test('notifies subscribers when the state changes, and only then', () => {
  const store = createStore({ status: 'idle', level: 0 })
  const listener = vi.fn()
  const unsubscribe = store.subscribe(listener)
  const before = store.getSnapshot()
  store.update({ status: 'idle' })
  expect(listener).not.toHaveBeenCalled()
  expect(store.getSnapshot()).toBe(before)
  store.update({ status: 'recording' })
  expect(listener).toHaveBeenCalledTimes(1)
  expect(store.getSnapshot()).toEqual({ status: 'recording', level: 0 })
  store.set((previous) => ({ ...previous, level: 1 }))
  expect(listener).toHaveBeenCalledTimes(2)
  unsubscribe()
  store.update({ level: 2 })
  expect(listener).toHaveBeenCalledTimes(2)
})

test('a listener that unsubscribes another during notification does not break the loop', () => {
  const store = createStore(0)
  const calls: string[] = []
  let offB = () => {}
  store.subscribe(() => {
    calls.push('a')
    offB()
  })
  offB = store.subscribe(() => calls.push('b'))
  store.set(1)
  store.set(2)
  expect(calls).toEqual(['a', 'b', 'a'])
})
