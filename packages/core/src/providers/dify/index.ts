export { difyDescriptor } from './descriptor'
export type { DifyTransportOptions } from './dify'
export {
  createDifySpeaker,
  createDifyTranscriber,
  createDifyTransport,
  decodeDifyError,
  difyErrorCodes,
  difyUploadFormats,
} from './dify'
export { type DifyStreamEvent, type DifyTtsAudioOptions, difyTtsAudio } from './tts-events'
