export type { TextField } from './insert'
export type { VoiceInputLabels, VoiceInputProps } from './VoiceInput'
export { defaultVoiceInputLabels, VoiceInput } from './VoiceInput'
