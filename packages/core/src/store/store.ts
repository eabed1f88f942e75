/**
 * The one observable store every stateful part of core uses (recorder, player).
 * Its shape is what React's useSyncExternalStore expects: `getSnapshot` returns the
 * same object until something changes, `subscribe` returns its unsubscribe.
 */
export interface ReadableStore<T> {
  getSnapshot(): T
  subscribe(listener: () => void): () => void
}

export interface Store<T> extends ReadableStore<T> {
  /** Replaces the state (or derives it from the previous one) and notifies when it changed. */
  set(next: T | ((previous: T) => T)): void
  /** Shallow-merges a patch into an object state; a patch that changes nothing notifies no one. */
  update(patch: Partial<T>): void
}

export function createStore<T>(initial: T): Store<T> {
  let state = initial
  const listeners = new Set<() => void>()
  const set = (next: T | ((previous: T) => T)) => {
    const value = typeof next === 'function' ? (next as (previous: T) => T)(state) : next
    if (Object.is(value, state)) return
    state = value
    for (const listener of [...listeners]) listener()
  }
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    set,
    update(patch) {
      const keys = Object.keys(patch) as (keyof T)[]
      if (keys.every((key) => Object.is(patch[key], state[key]))) return
      set({ ...state, ...patch })
    },
  }
}
