// Sessions: framework-free controllers around the recorder and the player, each a store with commands.

export * from './dictation'
export type { RequestRunner, VoiceRequest } from './request'
export * from './speech'
export * from './streamed-speech'
export * from './transcription'
