export type { MicButtonLabels, MicButtonProps, MicButtonTarget } from './MicButton'
export { defaultMicButtonLabels, MicButton } from './MicButton'
