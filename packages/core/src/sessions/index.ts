// Sessions: framework-free controllers around the recorder and the player, each a store with commands,
// all on the one kernel (request, retry policy, runner).
export type {
  AudioSegment,
  Dictation,
  DictationOptions,
  DictationSegment,
  DictationSegmentStatus,
  DictationState,
  DictationStatus,
  SavedDictation,
  SavedPart,
  Segmenter,
  SegmenterOptions,
} from './dictation'
export { createDictation, createSegmenter, discardSavedDictation, loadSavedDictations } from './dictation'
export type { RequestRunner, RetryPolicy, VoiceRequest } from './kernel'
export type {
  SpeakContext,
  SpeakInput,
  SpeakRequest,
  SpeechOptions,
  SpeechRequestState,
  SpeechSession,
  SpeechState,
} from './speech'
export { clearSpeechCache, createSpeechSession, speakInput } from './speech'
export type {
  CachedSpeech,
  SentenceSplitter,
  SentenceSplitterOptions,
  SpeakTextStreamOptions,
  SpeechCache,
  StreamedPiece,
  StreamedSpeechResult,
  TextStream,
} from './streamed-speech'
export { createSentenceSplitter, speakTextStream, speechCacheKey } from './streamed-speech'
export type {
  TranscriptionOptions,
  TranscriptionSession,
  TranscriptionState,
  TranscriptionStatus,
} from './transcription'
export { createTranscriptionSession } from './transcription'
