export { openaiDescriptor } from './descriptor'
export type { OpenAITransportOptions } from './openai'
export {
  createOpenAISpeaker,
  createOpenAITranscriber,
  createOpenAITransport,
  decodeOpenAIError,
  openaiUploadFormats,
} from './openai'
