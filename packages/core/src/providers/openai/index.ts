export { openaiDescriptor } from './descriptor'
export type {
  OpenAIRealtimeOptions,
  OpenAIRealtimeTransportOptions,
  OpenAITransportOptions,
  OpenAITurnDetection,
} from './openai'
export {
  createOpenAISpeaker,
  createOpenAITranscriber,
  createOpenAITransport,
  decodeOpenAIError,
  openaiUploadFormats,
} from './openai'
