// useSpeak and the player hook it is built on (one entry for both).
export { clearSpeechCache } from '@voicekit/core'
export * from '../player'
export type { SpeakInput, SpeakRequest, UseSpeakOptions, UseSpeakResult } from './useSpeak'
export { useSpeak } from './useSpeak'
