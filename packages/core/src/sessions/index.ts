// Sessions: framework-free controllers around the recorder and the player, each a store with commands.

export * from './dictation'
export type { RequestRunner, RetryPolicy, VoiceRequest } from './kernel'
export * from './speech'
export * from './streamed-speech'
export * from './transcription'
