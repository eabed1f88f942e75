import type { VoiceCapabilities } from '@voicekit/core'
import { useVoiceCapabilities } from '@voicekit/react'

export interface CapabilityReportLabels {
  title: string
  detecting: string
  yes: string
  no: string
  none: string
  secureContext: string
  getUserMedia: string
  mediaRecorder: string
  recordingTypes: string
  mediaSource: string
  managedMediaSource: string
  mediaSourceMpeg: string
  audioElementMpeg: string
  webAudio: string
  playbackEngine: string
  audioWorklet: string
  dictationMode: string
}

export const defaultCapabilityReportLabels: CapabilityReportLabels = {
  title: 'What this browser can do',
  detecting: 'Detecting…',
  yes: 'Yes',
  no: 'No',
  none: 'None',
  secureContext: 'Secure context (needed for the microphone)',
  getUserMedia: 'Microphone access (getUserMedia)',
  mediaRecorder: 'Recording (MediaRecorder)',
  recordingTypes: 'Recording formats',
  mediaSource: 'MediaSource',
  managedMediaSource: 'ManagedMediaSource',
  mediaSourceMpeg: 'Streamed MP3 through MediaSource',
  audioElementMpeg: 'MP3 in an audio element',
  webAudio: 'Web Audio',
  playbackEngine: 'Streaming playback engine',
  audioWorklet: 'Live PCM capture (AudioWorklet)',
  dictationMode: 'Dictation',
}

type Flag = {
  [K in keyof VoiceCapabilities]: VoiceCapabilities[K] extends boolean ? K : never
}[keyof VoiceCapabilities]

const flags: Flag[] = [
  'secureContext',
  'getUserMedia',
  'mediaRecorder',
  'mediaSource',
  'managedMediaSource',
  'mediaSourceMpeg',
  'audioElementMpeg',
  'webAudio',
  'audioWorklet',
]

export interface CapabilityReportProps {
  /** Report these instead of detecting them, e.g. to show a visitor's report elsewhere. */
  capabilities?: VoiceCapabilities
  labels?: Partial<CapabilityReportLabels>
  className?: string
}

/** A table of what the visitor's browser can record and play: a support page in one tag. */
export function CapabilityReport({ capabilities, labels, className }: CapabilityReportProps) {
  const detected = useVoiceCapabilities()
  const caps = capabilities ?? detected
  const text = { ...defaultCapabilityReportLabels, ...labels }
  return (
    <section className={['vk-capabilities', className].filter(Boolean).join(' ')} aria-label={text.title}>
      <h2 className="vk-capabilities__title">{text.title}</h2>
      {caps === null ? (
        <p role="status">{text.detecting}</p>
      ) : (
        <dl className="vk-capabilities__list">
          {flags.map((flag) => (
            <div className="vk-capabilities__row" key={flag} data-supported={caps[flag]}>
              <dt>{text[flag]}</dt>
              <dd>{caps[flag] ? text.yes : text.no}</dd>
            </div>
          ))}
          <div className="vk-capabilities__row" data-supported={caps.recordingTypes.length > 0}>
            <dt>{text.recordingTypes}</dt>
            <dd>{caps.recordingTypes.length ? caps.recordingTypes.join(', ') : text.none}</dd>
          </div>
          <div className="vk-capabilities__row" data-supported={caps.playbackEngine !== null}>
            <dt>{text.playbackEngine}</dt>
            <dd>{caps.playbackEngine ?? text.none}</dd>
          </div>
          <div className="vk-capabilities__row" data-supported={caps.dictationMode !== null}>
            <dt>{text.dictationMode}</dt>
            <dd>{caps.dictationMode ?? text.none}</dd>
          </div>
        </dl>
      )}
    </section>
  )
}
