export type {
  TranscriptionOptions,
  TranscriptionSession,
  TranscriptionState,
  TranscriptionStatus,
} from './session'
export { createTranscriptionSession } from './session'
