export type {
  SpeakButtonAction,
  SpeakButtonController,
  UseSpeakButtonOptions,
  UseSpeakButtonResult,
} from './useSpeakButton'
export { useSpeakButton } from './useSpeakButton'
