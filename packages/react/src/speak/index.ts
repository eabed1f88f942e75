// useSpeak and the player hook it is built on (one entry for both).
export * from '../player'
export { clearSpeechCache } from './cache'
export type { SpeakInput, UseSpeakOptions, UseSpeakResult } from './useSpeak'
export { useSpeak } from './useSpeak'
