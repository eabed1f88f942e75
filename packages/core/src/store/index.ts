export { select, shallowEqual } from './select'
export type { ReadableStore, Store } from './store'
export { createStore } from './store'
