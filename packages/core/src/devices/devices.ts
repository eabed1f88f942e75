// createAudioDevices: the microphones and speakers, kept current on `devicechange`, with the
// person's choice remembered in localStorage.
import { toCaptureError } from '../capture/errors'
import { VoiceError } from '../errors'
import { createStore } from '../store'
import { sinkSupport } from './sink'
import type { AudioDevice, AudioDevices, AudioDevicesOptions, AudioDevicesState } from './types'

const NO_SINK = { element: false, context: false }
/** Chromium lists its defaults again under these ids; '' stands for the default here. */
const ALIASES = new Set(['default', 'communications'])

type Chosen = AudioDevicesState['chosen']

function readChoice(key: string | null): Chosen {
  const none = { microphone: '', speaker: '' }
  if (!key) return none
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(key) ?? 'null')
    return {
      microphone: typeof saved?.microphone === 'string' ? saved.microphone : '',
      speaker: typeof saved?.speaker === 'string' ? saved.speaker : '',
    }
  } catch {
    return none // storage disabled or a foreign value: choose nothing
  }
}

function writeChoice(key: string | null, chosen: Chosen) {
  if (!key) return
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(chosen))
  } catch {
    // Private mode or a full quota: the choice lasts for this page only.
  }
}

/** The chosen id while it is in `list`; '' (the default) once it is gone. Unverifiable ids (no permission yet) are kept. */
function present(chosen: string, list: AudioDevice[], labels: boolean): string {
  if (!chosen) return ''
  if (!labels && !list.some((d) => d.deviceId)) return chosen
  return list.some((d) => d.deviceId === chosen) ? chosen : ''
}

export function createAudioDevices(options: AudioDevicesOptions = {}): AudioDevices {
  const key = options.storageKey === undefined ? 'voicekit.devices' : options.storageKey
  const chosen = readChoice(key)
  const store = createStore<AudioDevicesState>({
    status: 'idle',
    microphones: [],
    speakers: [],
    microphoneId: chosen.microphone,
    speakerId: chosen.speaker,
    chosen,
    labels: false,
    sink: NO_SINK,
    error: null,
  })
  const media = () => options.mediaDevices ?? (typeof navigator === 'undefined' ? undefined : navigator.mediaDevices)
  const derive = (patch: Partial<AudioDevicesState>) => {
    const next = { ...store.getSnapshot(), ...patch }
    next.microphoneId = present(next.chosen.microphone, next.microphones, next.labels)
    next.speakerId =
      next.sink.element || next.sink.context ? present(next.chosen.speaker, next.speakers, next.labels) : ''
    store.update(next)
  }

  let reading: Promise<void> | undefined
  const refresh = (): Promise<void> => {
    const devices = media()
    if (typeof devices?.enumerateDevices !== 'function') {
      derive({ status: 'unsupported', sink: sinkSupport() })
      return Promise.resolve()
    }
    reading ??= devices
      .enumerateDevices()
      .then(
        (list) => {
          const pick = (kind: MediaDeviceKind) =>
            list
              .filter((d) => d.kind === kind && !ALIASES.has(d.deviceId))
              .map(({ deviceId, label, groupId }) => ({ deviceId, label, groupId }))
          const microphones = pick('audioinput')
          derive({
            status: 'ready',
            microphones,
            speakers: pick('audiooutput'),
            labels: microphones.some((d) => d.label),
            sink: sinkSupport(),
            error: null,
          })
        },
        (cause) =>
          derive({
            status: 'error',
            error: new VoiceError('not_supported', 'Could not list audio devices', { cause }),
          }),
      )
      .finally(() => {
        reading = undefined
      })
    return reading
  }

  const choose = (kind: keyof Chosen, deviceId: string) => {
    const next = { ...store.getSnapshot().chosen, [kind]: deviceId }
    writeChoice(key, next)
    derive({ chosen: next })
  }

  // `devicechange` is listened to while someone is subscribed.
  let subscribers = 0
  const onChange = () => void refresh()
  return {
    getSnapshot: store.getSnapshot,
    subscribe(listener) {
      const off = store.subscribe(listener)
      if (subscribers++ === 0) {
        media()?.addEventListener?.('devicechange', onChange)
        void refresh()
      }
      let subscribed = true
      return () => {
        if (!subscribed) return
        subscribed = false
        off()
        if (--subscribers === 0) media()?.removeEventListener?.('devicechange', onChange)
      }
    },
    refresh,
    async requestLabels() {
      const devices = media()
      try {
        if (typeof devices?.getUserMedia !== 'function') throw new VoiceError('not_supported', 'No getUserMedia')
        const stream = await devices.getUserMedia({ audio: true })
        for (const track of stream.getTracks()) track.stop()
      } catch (error) {
        const voiceError = toCaptureError(error)
        derive({ error: voiceError })
        throw voiceError
      }
      await refresh()
    },
    selectMicrophone: (deviceId) => choose('microphone', deviceId),
    selectSpeaker: (deviceId) => choose('speaker', deviceId),
  }
}
