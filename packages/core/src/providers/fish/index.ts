// `@voicekit/core/fish`: the only entry that pulls in msgpackr.
export { fishDescriptor } from './descriptor'
export type { FishTransportOptions } from './fish'
export {
  createFishSpeaker,
  createFishTranscriber,
  createFishTransport,
  decodeFishError,
  fishDurationSeconds,
  fishUploadFormats,
} from './fish'
