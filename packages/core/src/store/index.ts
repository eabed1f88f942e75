export type { ReadableStore, Store } from './store'
export { createStore } from './store'
