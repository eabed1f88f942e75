// Building blocks for custom transports.
export { readAudioStream } from './audio-stream'
export { codeForStatus, normaliseAudioMime } from './http'
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
  TransportInput,
} from './types'
export type { Upload, UploadFormat } from './upload'
export { acceptedTypes, prepareUpload } from './upload'
