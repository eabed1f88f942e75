export { elevenlabsDescriptor } from './descriptor'
export type {
  ElevenLabsRealtimeOptions,
  ElevenLabsRealtimeTransportOptions,
  ElevenLabsTransportOptions,
} from './elevenlabs'
export {
  createElevenLabsSpeaker,
  createElevenLabsTranscriber,
  createElevenLabsTransport,
  decodeElevenLabsError,
  ELEVENLABS_DEFAULT_VOICE,
  elevenlabsErrorCodes,
  elevenlabsUploadFormats,
} from './elevenlabs'
