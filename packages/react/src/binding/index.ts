// The one binding of a core store to a component (internal: every hook is built on it).
export type { Bound } from './useBinding'
export { useBinding } from './useBinding'
