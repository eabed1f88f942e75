export { difyDescriptor } from './descriptor'
export type { DifyTransportOptions } from './dify'
export { createDifyTransport, decodeDifyError, difyErrorCodes, difyUploadFormats } from './dify'
