import { type ReadableStore, select } from '@voicekit/core'
import { useMemo, useRef, useSyncExternalStore } from 'react'

const none: ReadableStore<undefined> = { getSnapshot: () => undefined, subscribe: () => () => {} }

/**
 * Part of a store, re-rendering only when that part changes: `useStoreSelector(speaker.player, (s) => s.status)`
 * renders when the status changes, not four times a second as the time ticks. `selector` is read at
 * each change (it may be an inline function); `isEqual` (e.g. `shallowEqual` for objects) is fixed
 * per store. A null store gives `selector(undefined)`-free `undefined`.
 */
export function useStoreSelector<T, U>(
  store: ReadableStore<T>,
  selector: (state: T) => U,
  isEqual?: (a: U, b: U) => boolean,
): U
export function useStoreSelector<T, U>(
  store: ReadableStore<T> | null | undefined,
  selector: (state: T) => U,
  isEqual?: (a: U, b: U) => boolean,
): U | undefined
export function useStoreSelector<T, U>(
  store: ReadableStore<T> | null | undefined,
  selector: (state: T) => U,
  isEqual?: (a: U, b: U) => boolean,
): U | undefined {
  const selectorRef = useRef(selector)
  selectorRef.current = selector
  // biome-ignore lint/correctness/useExhaustiveDependencies: isEqual is fixed per store by contract
  const selected = useMemo(
    () => (store ? select(store, (state) => selectorRef.current(state), isEqual) : none),
    [store],
  )
  return useSyncExternalStore(selected.subscribe, selected.getSnapshot, selected.getSnapshot)
}
