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
