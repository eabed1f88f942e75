export type { VoiceContextValue } from './context'
export { useVoiceContext } from './context'
export type { TransportByIdProps, TransportProps, VoiceProviderBaseProps, VoiceProviderProps } from './VoiceProvider'
export { VoiceProvider } from './VoiceProvider'
