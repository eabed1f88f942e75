export type { UseAudioDevicesOptions, UseAudioDevicesResult } from './useAudioDevices'
export { sharedAudioDevices, useAudioDevices } from './useAudioDevices'
export { useOutputLevel } from './useOutputLevel'
