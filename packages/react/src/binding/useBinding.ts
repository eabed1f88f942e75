import type { ReadableStore } from '@voicekit/core'
import { useEffect, useLayoutEffect, useState, useSyncExternalStore } from 'react'

/**
 * A core object as a hook holds it: its store, the one way options reach it, and the one unmount rule.
 * Whatever else a `bind` function returns (the object itself, its commands) is created once with it,
 * so those members keep their identity across renders.
 */
export interface Bound<S, O> {
  readonly store: ReadableStore<S>
  /** Takes the latest committed render's options; the object reads them when it uses them. */
  configure(options: O): void
  /**
   * On unmount: releases what the object holds (the microphone, the audio output) and aborts its
   * requests. The object stays usable, because StrictMode mounts the same component again.
   */
  release(): void
}

type StateOf<B> = B extends Bound<infer S, never> ? S : never

// Layout effects do not run on a server; there the options given at creation are the ones.
const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

/**
 * The one binding every voicekit hook is: `bind(options)` runs once per component; after every
 * commit `configure(options)` gets that render's options (before any effect or event handler of the
 * commit can use them, and never from a render React throws away); the state comes through
 * `useSyncExternalStore`; unmount calls `release()`. Opening the microphone is only ever a command,
 * so StrictMode's extra mount opens nothing. (TanStack Query's `useBaseQuery` is the model.)
 */
export function useBinding<B extends Bound<unknown, O>, O>(bind: (options: O) => B, options: O): [B, StateOf<B>] {
  const [bound] = useState(() => bind(options))
  useCommitEffect(() => bound.configure(options))
  useEffect(() => () => bound.release(), [bound])
  const { store } = bound as Bound<StateOf<B>, O>
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot)
  return [bound, state]
}
