export type { UseStreamingPlayerResult } from './useStreamingPlayer'
export { useStreamingPlayer } from './useStreamingPlayer'
