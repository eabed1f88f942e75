export type { MicButtonLabels, MicButtonProps, MicController, MicState } from './MicButton'
export { defaultMicButtonLabels, MicButton } from './MicButton'
