export { openaiDescriptor } from './descriptor'
export type { OpenAITransportOptions } from './openai'
export { createOpenAITransport, decodeOpenAIError, openaiUploadFormats } from './openai'
