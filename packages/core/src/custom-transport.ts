// `@voicekit/core/transport`: building blocks for a transport of your own. `createHttpTransport`
// turns a small spec into a SpeechTransport (the built-in ElevenLabs transport is written with it);
// the helpers beside it do what every built-in transport does: check and label an upload, map an HTTP
// status to a VoiceError code, read an audio answer as a stream. The transport types are here too;
// VoiceError itself is on the main entry.
export type { VoiceErrorCode } from './errors'
export { VOICE_ERROR_HEADER } from './providers/descriptor'
export type {
  AudioExtension,
  AudioStream,
  ErrorDecoder,
  ErrorInfo,
  HeadersOption,
  HttpRequestParts,
  HttpSpeakSpec,
  HttpTranscribeSpec,
  HttpTransportOptions,
  HttpTransportSpec,
  Speaker,
  SpeakOptions,
  SpeechTransport,
  StreamingConnection,
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
  Upload,
  UploadFormat,
} from './transport'
export {
  AUDIO_TYPES,
  acceptedTypes,
  codeForStatus,
  createHttpSpeaker,
  createHttpTranscriber,
  createHttpTransport,
  decodeCommonError,
  MP3,
  normaliseAudioMime,
  prepareUpload,
  readAudioStream,
  uploadFormat,
  WAV,
} from './transport'
