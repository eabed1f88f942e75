export type { SpeakInput, SpeakRequest, UseSpeakOptions, UseSpeakResult } from './useSpeak'
export { useSpeak } from './useSpeak'
