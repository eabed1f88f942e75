// `@voicekit/core/fish`: the Fish Audio transport, on an entry of its own because it is the only one
// that pulls in msgpackr (an optional peer). Its descriptor is on `@voicekit/core/server`; the transport
// types its factories name (HttpTransportOptions, Speaker, Transcriber) are on the main entry.
export type { FishTransportOptions } from './providers/fish'
export { createFishSpeaker, createFishTranscriber, createFishTransport } from './providers/fish'
