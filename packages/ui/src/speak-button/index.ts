export type { SpeakButtonLabels, SpeakButtonProps, SpeakButtonTarget } from './SpeakButton'
export { defaultSpeakButtonLabels, SpeakButton } from './SpeakButton'
