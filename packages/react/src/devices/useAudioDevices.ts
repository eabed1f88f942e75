import {
  type AudioDevices,
  type AudioDevicesOptions,
  type AudioDevicesState,
  createAudioDevices,
  type StreamingPlayer,
} from '@voicekit/core'
import { useEffect, useSyncExternalStore } from 'react'

export interface UseAudioDevicesOptions extends Pick<AudioDevicesOptions, 'storageKey'> {
  /** A player (e.g. `useSpeak().player`) to play through the chosen speaker. */
  player?: Pick<StreamingPlayer, 'setSinkId'> | null
}

export interface UseAudioDevicesResult extends AudioDevicesState, Omit<AudioDevices, 'getSnapshot' | 'subscribe'> {
  /** The store behind the hook (shared by every hook with the same `storageKey`). */
  devices: AudioDevices
}

// One store per storage key, so every picker and recorder on the page sees the same choice.
const shared = new Map<string | null, AudioDevices>()

/** The store `useAudioDevices({ storageKey })` uses: the same object for the same key. */
export function sharedAudioDevices(storageKey: string | null = 'voicekit.devices'): AudioDevices {
  let devices = shared.get(storageKey)
  if (!devices) {
    devices = createAudioDevices({ storageKey })
    shared.set(storageKey, devices)
  }
  return devices
}

/**
 * The microphones and speakers, current as devices come and go, and the person's choice:
 * `useTranscribe({ deviceId: useAudioDevices().microphoneId })`. With `player`, what it plays goes to
 * the chosen speaker (where the browser can choose: see `sink`). Reading the list starts on mount,
 * never at import; device names appear once the page has microphone permission (`requestLabels()`).
 */
export function useAudioDevices(options: UseAudioDevicesOptions = {}): UseAudioDevicesResult {
  const devices = sharedAudioDevices(options.storageKey)
  const state = useSyncExternalStore(devices.subscribe, devices.getSnapshot, devices.getSnapshot)
  const { player } = options
  const { speakerId } = state
  useEffect(() => {
    // An unsupported browser has speakerId '' (the default): nothing to switch, nothing thrown.
    player?.setSinkId(speakerId).catch(() => {})
  }, [player, speakerId])
  const { refresh, requestLabels, selectMicrophone, selectSpeaker } = devices
  return { ...state, devices, refresh, requestLabels, selectMicrophone, selectSpeaker }
}
