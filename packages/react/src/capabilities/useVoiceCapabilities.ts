import { detectCapabilities, type VoiceCapabilities } from '@voicekit/core'
import { useSyncExternalStore } from 'react'

// Capabilities never change during a page's life: detect once, on first use.
let detected: VoiceCapabilities | undefined
const getSnapshot = () => {
  detected ??= detectCapabilities()
  return detected
}
const getServerSnapshot = () => null
const subscribe = () => () => {}

/**
 * What this browser can record and play. `null` while server rendering and during
 * hydration, so server and client markup match; the detected value right after.
 */
export function useVoiceCapabilities(): VoiceCapabilities | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot)
}
