export type {
  MicButtonAttributes,
  MicButtonController,
  UseMicButtonOptions,
  UseMicButtonResult,
} from './useMicButton'
export { useMicButton } from './useMicButton'
