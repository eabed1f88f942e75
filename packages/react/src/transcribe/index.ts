export type { TranscribeStatus, UseTranscribeOptions, UseTranscribeResult } from './useTranscribe'
export { useTranscribe } from './useTranscribe'
