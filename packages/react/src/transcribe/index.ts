// The capture hooks: useTranscribe, and the two it is built from.
export * from '../level'
export * from '../recorder'
export type { TranscribeStatus, UseTranscribeOptions, UseTranscribeResult } from './useTranscribe'
export { useTranscribe } from './useTranscribe'
