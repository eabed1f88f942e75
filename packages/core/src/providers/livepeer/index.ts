export { livepeerDescriptor } from './descriptor'
export type { LivepeerTransportOptions } from './livepeer'
export {
  createLivepeerTransport,
  decodeLivepeerError,
  LIVEPEER_DEFAULT_TRANSCRIPTION_MODEL,
  livepeerUploadFormats,
} from './livepeer'
