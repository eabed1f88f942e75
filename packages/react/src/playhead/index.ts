export type { PlayheadPlayer, PlayheadSpan } from './usePlayhead'
export { usePlayhead } from './usePlayhead'
