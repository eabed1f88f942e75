export type { VoiceInputLabels, VoiceInputProps } from './VoiceInput'
export { defaultVoiceInputLabels, VoiceInput } from './VoiceInput'
