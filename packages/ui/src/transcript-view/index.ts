export type { PlayheadPlayer } from './playhead'
export type { TranscriptViewLabels, TranscriptViewProps, TranscriptWord } from './TranscriptView'
export { defaultTranscriptViewLabels, TranscriptView } from './TranscriptView'
