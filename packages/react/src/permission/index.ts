export type { MicrophonePermission } from './useMicrophonePermission'
export { useMicrophonePermission } from './useMicrophonePermission'
