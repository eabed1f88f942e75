export type {
  MicButtonController,
  MicButtonProps,
  MicState,
  UseMicButtonOptions,
  UseMicButtonResult,
} from './useMicButton'
export { isActive, micState, useMicButton } from './useMicButton'
