export { useVoiceCapabilities } from './useVoiceCapabilities'
