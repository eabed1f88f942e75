import type { VoiceError } from '../errors'
import type { ReadableStore } from '../store'
import type { SinkSupport } from './sink'

export interface AudioDevice {
  deviceId: string
  /** The device's name; '' until the page has microphone permission (browsers hide names before). */
  label: string
  groupId: string
}

/**
 * idle (not read yet) → ready; `unsupported` where there is no `mediaDevices.enumerateDevices`
 * (a server, an insecure origin), `error` when reading the list failed.
 */
export type AudioDevicesStatus = 'idle' | 'ready' | 'unsupported' | 'error'

export interface AudioDevicesState {
  status: AudioDevicesStatus
  microphones: AudioDevice[]
  speakers: AudioDevice[]
  /** The microphone to record from: the chosen one while it is plugged in, else '' (the system default). */
  microphoneId: string
  /** The speaker to play through: the chosen one while it is plugged in, else '' (the system default). */
  speakerId: string
  /** What the person chose (remembered), even while that device is unplugged. */
  chosen: { microphone: string; speaker: string }
  /** Device names are known (the page has had microphone permission). */
  labels: boolean
  /** What can be routed to a chosen speaker here; with neither, the speaker cannot be chosen. */
  sink: SinkSupport
  error: VoiceError | null
}

export interface AudioDevicesOptions {
  /** localStorage key the choice is remembered under; `null` remembers nothing. Default `voicekit.devices`. */
  storageKey?: string | null
  /** Default `navigator.mediaDevices` (read when first needed, never at import). */
  mediaDevices?: MediaDevices
}

export interface AudioDevices extends ReadableStore<AudioDevicesState> {
  /** Reads the device list again (also done on `devicechange` while anyone is subscribed). */
  refresh(): Promise<void>
  /**
   * Opens the microphone for a moment so the browser reveals device names (it may ask), then
   * releases it. Rejects with the capture VoiceError (e.g. `permission_denied`), also put in `error`.
   */
  requestLabels(): Promise<void>
  /** '' chooses the system default. Remembered. */
  selectMicrophone(deviceId: string): void
  selectSpeaker(deviceId: string): void
}
