export { createDictation } from './controller'
export { discardSavedDictation, loadSavedDictations, type SavedDictation } from './saved'
export { type AudioSegment, createSegmenter, type Segmenter, type SegmenterOptions } from './segmenter'
export type {
  Dictation,
  DictationOptions,
  DictationSegment,
  DictationSegmentStatus,
  DictationState,
  DictationStatus,
} from './types'
