export type { BargeIn, BargeInMode, BargeInOptions, BargeInPlayer } from './barge-in'
export { createBargeIn } from './barge-in'
