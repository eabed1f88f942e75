// Building blocks for custom transports.
export { readAudioStream } from './audio-stream'
export type { AudioExtension } from './audio-types'
export { AUDIO_TYPES } from './audio-types'
export type { ErrorDecoder, ErrorInfo } from './decode'
export type { HttpRequestParts, HttpSpeakSpec, HttpTranscribeSpec, HttpTransportSpec } from './generic'
export { createHttpSpeaker, createHttpTranscriber, createHttpTransport, decodeCommonError } from './generic'
export { badResponse, normaliseAudioMime } from './http'
export { codeForStatus } from './http-error'
export type {
  StreamingConnection,
  StreamingTranscriber,
  StreamingTranscriptionEvent,
  StreamingTranscriptionOptions,
  StreamingTranscriptionSession,
} from './streaming'
export type { StreamingConnectionOption, StreamingSocketOptions, WebSocketConstructor } from './streaming-options'
export type {
  AudioStream,
  HeadersOption,
  HttpTransportOptions,
  Speaker,
  SpeakOptions,
  SpeechTransport,
  TranscribeOptions,
  Transcriber,
  Transcript,
  TranscriptSegment,
  TranscriptWord,
  TransportInput,
} from './types'
export type { Upload, UploadFormat } from './upload'
export { acceptedTypes, MP3, prepareUpload, uploadFormat, WAV } from './upload'
