export type { VoiceContextValue, VoiceProviderProps } from './VoiceProvider'
export { useVoiceContext, VoiceProvider } from './VoiceProvider'
