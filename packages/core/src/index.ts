// `@voicekit/core`: what an app needs to record, transcribe, dictate and speak. Every name is listed
// here on purpose (the API report in packages/core/api/ shows the surface in review). Beside it:
// `@voicekit/core/transport` (building blocks for a custom transport), `@voicekit/core/server`
// (descriptors and errors, safe on a server) and `@voicekit/core/fish` (Fish, with msgpackr).

export type { BargeIn, BargeInMode, BargeInOptions, BargeInPlayer } from './barge-in'
export { createBargeIn } from './barge-in'
export type { PlaybackEngine, VoiceCapabilities } from './capabilities'
export { detectCapabilities } from './capabilities'
export type {
  LevelSource,
  MicrophonePcmOptions,
  PcmSink,
  PcmSource,
  Recorder,
  RecorderOptions,
  RecorderState,
  RecorderStatus,
  Recording,
  SamplesPcmOptions,
} from './capture'
export {
  createMicrophonePcm,
  createRecorder,
  createSamplesPcm,
  defaultMaxDurationMs,
  PCM_WORKLET_SOURCE,
  toUploadable,
} from './capture'
export type {
  AudioDevice,
  AudioDevices,
  AudioDevicesOptions,
  AudioDevicesState,
  AudioDevicesStatus,
  SinkSupport,
} from './devices'
export { applySinkId, createAudioDevices, createOutputLevel, sinkSupport } from './devices'
export type { VoiceErrorCode, VoiceErrorOptions } from './errors'
export { isVoiceError, VOICE_ERROR_CODES, VoiceError } from './errors'
export type {
  AudioSource,
  PlayerState,
  PlayerStatus,
  PlayOptions,
  StreamingPlayer,
  StreamingPlayerOptions,
} from './playback'
export { createStreamingPlayer } from './playback'
export type {
  BuiltInProviderId,
  DifyStreamEvent,
  DifyTransportOptions,
  DifyTtsAudioOptions,
  ElevenLabsRealtimeOptions,
  ElevenLabsRealtimeTransportOptions,
  ElevenLabsTransportOptions,
  LivepeerTransportOptions,
  NotConfiguredAnswer,
  OpenAIRealtimeOptions,
  OpenAIRealtimeTransportOptions,
  OpenAITransportOptions,
  OpenAITurnDetection,
  ProviderAuth,
  ProviderDescriptor,
  ProviderEndpoint,
  ProviderId,
  RealtimeOptionsById,
  SerializableRealtimeOptions,
  SerializableTransportOptions,
  TransportById,
  TransportOptionsById,
  TransportProviderId,
} from './providers'
export {
  createDifySpeaker,
  createDifyTranscriber,
  createDifyTransport,
  createElevenLabsSpeaker,
  createElevenLabsTranscriber,
  createElevenLabsTransport,
  createLivepeerTransport,
  createOpenAISpeaker,
  createOpenAITranscriber,
  createOpenAITransport,
  createTransport,
  difyTtsAudio,
  providerDescriptors,
} from './providers'
export type {
  CachedSpeech,
  Dictation,
  DictationOptions,
  DictationSegment,
  DictationSegmentStatus,
  DictationState,
  DictationStatus,
  RequestRunner,
  RetryPolicy,
  SavedDictation,
  SavedPart,
  SegmenterOptions,
  SentenceSplitterOptions,
  SpeakInput,
  SpeakRequest,
  SpeakTextStreamOptions,
  SpeechCache,
  SpeechOptions,
  SpeechRequestState,
  SpeechSession,
  SpeechState,
  StreamedPiece,
  StreamedSpeechResult,
  TextStream,
  TranscriptionOptions,
  TranscriptionSession,
  TranscriptionState,
  TranscriptionStatus,
  VoiceRequest,
} from './sessions'
export {
  clearSpeechCache,
  createDictation,
  createSpeechSession,
  createTranscriptionSession,
  discardSavedDictation,
  loadSavedDictations,
  speakTextStream,
} from './sessions'
export type { VoiceStatus } from './status'
export type { ReadableStore, Store } from './store'
export { createStore, select, shallowEqual } from './store'
export type {
  AudioStream,
  HeadersOption,
  HttpTransportOptions,
  Speaker,
  SpeakOptions,
  SpeechTransport,
  StreamingConnection,
  StreamingConnectionOption,
  StreamingSocketOptions,
  StreamingTranscriber,
  StreamingTranscriptionEvent,
  StreamingTranscriptionOptions,
  StreamingTranscriptionSession,
  TranscribeOptions,
  Transcriber,
  Transcript,
  TranscriptSegment,
  TranscriptWord,
  TransportInput,
  WebSocketConstructor,
} from './transport'
