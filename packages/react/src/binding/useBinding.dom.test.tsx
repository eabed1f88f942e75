// The one binding: created once, the latest committed options handed over, state through the store,
// released on unmount and still usable after StrictMode's unmount-and-mount.
import { act, renderHook } from '@testing-library/react'
import { createStore } from '@voicekit/core'
import { StrictMode } from 'react'
import { expect, test } from 'vitest'
import { useBinding } from './useBinding'

function fakeBinding() {
  const log: string[] = []
  const bind = (options: { name: string }) => {
    const store = createStore({ count: 0 })
    log.push(`create ${options.name}`)
    return {
      store,
      configure: (next: { name: string }) => void log.push(`configure ${next.name}`),
      release: () => void log.push('release'),
      bump: () => store.update({ count: store.getSnapshot().count + 1 }),
    }
  }
  return { log, bind }
}

test('created once; each commit configures it with its options; its state renders; unmount releases it', () => {
  const { log, bind } = fakeBinding()
  const hook = renderHook(({ name }) => useBinding(bind, { name }), { initialProps: { name: 'a' } })
  const [first] = hook.result.current
  hook.rerender({ name: 'b' })
  expect(hook.result.current[0]).toBe(first)
  act(() => first.bump())
  expect(hook.result.current[1]).toEqual({ count: 1 })
  hook.unmount()
  expect(log).toEqual(['create a', 'configure a', 'configure b', 'configure b', 'release'])
})

test('StrictMode: the object released by the first unmount is the one the second mount keeps using', () => {
  const { log, bind } = fakeBinding()
  const hook = renderHook(() => useBinding(bind, { name: 'a' }), { wrapper: StrictMode })
  const [bound] = hook.result.current
  expect(log).toContain('release')
  act(() => bound.bump())
  expect(hook.result.current[1]).toEqual({ count: 1 })
  const released = log.filter((entry) => entry === 'release').length
  hook.unmount()
  expect(log.filter((entry) => entry === 'release')).toHaveLength(released + 1)
})
