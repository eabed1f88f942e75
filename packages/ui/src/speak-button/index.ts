export type { SpeakButtonLabels, SpeakButtonProps, SpeakController, SpeakState } from './SpeakButton'
export { defaultSpeakButtonLabels, SpeakButton } from './SpeakButton'
