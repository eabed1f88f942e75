export type {
  CachedSpeech,
  SpeakTextStreamOptions,
  SpeechCache,
  StreamedPiece,
  StreamedSpeechResult,
  TextStream,
} from './speak-text-stream'
export { speakTextStream, speechCacheKey } from './speak-text-stream'
export type { SentenceSplitter, SentenceSplitterOptions } from './splitter'
export { createSentenceSplitter } from './splitter'
