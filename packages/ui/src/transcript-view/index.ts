export type { TranscriptViewLabels, TranscriptViewProps } from './TranscriptView'
export { defaultTranscriptViewLabels, TranscriptView } from './TranscriptView'
