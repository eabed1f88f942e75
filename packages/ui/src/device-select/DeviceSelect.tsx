import { type UseAudioDevicesResult, useAudioDevices } from '@voicekit/react'
import { useId } from 'react'
import { cx, defaultErrorLabels, type ErrorLabels, errorText, fill } from '../internal/util'

export interface DeviceSelectLabels {
  microphone: string
  speaker: string
  /** The first option: whatever the system uses. */
  systemDefault: string
  /** A device without a name yet (before microphone permission); `{n}` is its number. */
  unnamedMicrophone: string
  unnamedSpeaker: string
  /** The button that asks for permission so the names show. */
  showNames: string
  /** The chosen device is unplugged. */
  missing: string
  /** Where the browser cannot choose the speaker (Firefox for Web Audio, Safari). */
  speakerUnsupported: string
  error: string
  errors: ErrorLabels
}

export const defaultDeviceSelectLabels: DeviceSelectLabels = {
  microphone: 'Microphone',
  speaker: 'Speaker',
  systemDefault: 'System default',
  unnamedMicrophone: 'Microphone {n}',
  unnamedSpeaker: 'Speaker {n}',
  showNames: 'Show device names',
  missing: 'The chosen device is not connected: using the system default.',
  speakerUnsupported: "This browser always plays through the system's default speaker.",
  error: 'The devices could not be listed.',
  errors: defaultErrorLabels,
}

export interface DeviceSelectProps {
  kind: 'microphone' | 'speaker'
  /** A `useAudioDevices()` result to drive; without it the component uses the shared one for `storageKey`. */
  devices?: UseAudioDevicesResult
  storageKey?: string | null
  labels?: Partial<DeviceSelectLabels>
  className?: string
}

/**
 * A labelled picker for the microphone or the speaker: current as devices come and go, the choice
 * remembered. Before microphone permission it offers to show the device names; where the browser
 * cannot choose the speaker it says so in words instead of offering a choice that does nothing.
 */
export function DeviceSelect({ devices, ...rest }: DeviceSelectProps) {
  return devices ? <Picker {...rest} devices={devices} /> : <Shared {...rest} />
}

function Shared(props: Omit<DeviceSelectProps, 'devices'>) {
  return <Picker {...props} devices={useAudioDevices({ storageKey: props.storageKey })} />
}

function Picker({ kind, devices: d, labels, className }: DeviceSelectProps & { devices: UseAudioDevicesResult }) {
  const id = useId()
  const l = { ...defaultDeviceSelectLabels, ...labels }
  const mic = kind === 'microphone'
  const list = mic ? d.microphones : d.speakers
  const chosen = mic ? d.chosen.microphone : d.chosen.speaker
  const using = mic ? d.microphoneId : d.speakerId
  const unsupported = !mic && !d.sink.element && !d.sink.context
  const missing = !!chosen && !using && !unsupported
  const state = d.error ? 'error' : unsupported ? 'unsupported' : missing ? 'missing' : 'ready'
  return (
    <div className={cx('vk-devices', className)} data-kind={kind} data-state={state}>
      {unsupported ? (
        <>
          <span className="vk-devices__label">{l.speaker}</span>
          <p className="vk-devices__note">{l.speakerUnsupported}</p>
        </>
      ) : (
        <label className="vk-devices__label" htmlFor={id}>
          {mic ? l.microphone : l.speaker}
        </label>
      )}
      {!unsupported && (
        <select
          id={id}
          className="vk-devices__select"
          value={using}
          onChange={(event) => (mic ? d.selectMicrophone : d.selectSpeaker)(event.target.value)}
        >
          <option value="">{l.systemDefault}</option>
          {list
            .filter((device) => device.deviceId)
            .map((device, i) => (
              <option key={device.deviceId || i} value={device.deviceId}>
                {device.label || fill(mic ? l.unnamedMicrophone : l.unnamedSpeaker, { n: String(i + 1) })}
              </option>
            ))}
        </select>
      )}
      {!d.labels && !unsupported && d.status === 'ready' && (
        <button type="button" className="vk-button" onClick={() => d.requestLabels().catch(() => {})}>
          {l.showNames}
        </button>
      )}
      {missing && <p className="vk-devices__note">{l.missing}</p>}
      {d.error && (
        <p className="vk-devices__error" role="alert">
          {errorText(d.error, l.errors, l.error)}
        </p>
      )}
    </div>
  )
}
