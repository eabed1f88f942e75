export { createDictation } from './controller'
export { discardSavedDictation, loadSavedDictations, type SavedDictation, type SavedPart } from './saved'
export { type AudioSegment, createSegmenter, type Segmenter, type SegmenterOptions } from './segmenter'
export type {
  Dictation,
  DictationOptions,
  DictationSegment,
  DictationSegmentStatus,
  DictationState,
  DictationStatus,
} from './types'
