import type { ReadableStore } from './store'

/**
 * A view of part of a store: `getSnapshot` returns `selector(state)`, and subscribers are told only
 * when that part changed (by `isEqual`, default `Object.is`). A component showing a player's status
 * through `select(player, (s) => s.status)` is not told about the time ticking four times a second.
 */
export function select<T, U>(
  store: ReadableStore<T>,
  selector: (state: T) => U,
  isEqual: (a: U, b: U) => boolean = Object.is,
): ReadableStore<U> {
  let computed = false
  let lastState: T
  let lastValue: U
  const getSnapshot = () => {
    const state = store.getSnapshot()
    if (!computed || !Object.is(state, lastState)) {
      const value = selector(state)
      // An equal value keeps the previous object, so the snapshot stays the same for React.
      if (!computed || !isEqual(lastValue, value)) lastValue = value
      lastState = state
      computed = true
    }
    return lastValue
  }
  return {
    getSnapshot,
    subscribe(listener) {
      let seen = getSnapshot()
      return store.subscribe(() => {
        const value = getSnapshot()
        if (Object.is(value, seen)) return
        seen = value
        listener()
      })
    },
  }
}

/** Equal when both objects have the same keys with `Object.is`-equal values: for selectors that pick several fields. */
export function shallowEqual<U>(a: U, b: U): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((key) => Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}
