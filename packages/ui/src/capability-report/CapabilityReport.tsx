import type { PlaybackEngine, VoiceCapabilities } from '@voicekit/core'
import { type MicrophonePermission, useMicrophonePermission, useVoiceCapabilities } from '@voicekit/react'
import { cx } from '../internal/util'

export interface CapabilityReportLabels {
  title: string
  detecting: string
  /** Verdicts, in words (the colour and icon say the same). */
  works: string
  limited: string
  unavailable: string
  /** The two things a person wants to know. */
  dictation: string
  readAloud: string
  microphone: string
  microphoneAllowed: string
  microphoneAsks: string
  microphoneAvailable: string
  microphoneBlocked: string
  microphoneInsecure: string
  microphoneMissing: string
  /** `{format}` is the first recording format. */
  recordingWorks: string
  recordingMissing: string
  /** Playback by engine: streamed through MediaSource, through Web Audio, or only once downloaded. */
  playbackMse: string
  playbackWebAudio: string
  playbackBlob: string
  playbackMissing: string
  /** The technical details (closed by default). */
  details: string
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
  /** Under the Dictation verdict: words appear while the person speaks (AudioWorklet). */
  dictationLive: string
  /** Under the Dictation verdict: without AudioWorklet, the text arrives after the recording stops. */
  dictationAfterStop: string
}

export const defaultCapabilityReportLabels: CapabilityReportLabels = {
  title: 'What works in this browser',
  detecting: 'Detecting…',
  works: 'Works',
  limited: 'Works, with a limit',
  unavailable: 'Not available',
  dictation: 'Dictation',
  readAloud: 'Reading aloud',
  microphone: 'Microphone',
  microphoneAllowed: 'Allowed for this site.',
  microphoneAsks: 'The browser asks the first time.',
  microphoneAvailable: 'Available.',
  microphoneBlocked: "Blocked for this site: allow it in the browser's site settings.",
  microphoneInsecure: 'Needs a secure page (https, or localhost).',
  microphoneMissing: 'This browser gives pages no microphone.',
  recordingWorks: 'Records {format}.',
  recordingMissing: 'This browser cannot record audio.',
  playbackMse: 'Plays while the speech streams in (MediaSource).',
  playbackWebAudio: 'Plays while the speech streams in (Web Audio).',
  playbackBlob: 'Plays once the whole speech has arrived.',
  playbackMissing: 'This browser cannot play MP3 speech.',
  details: 'Technical details',
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
  dictationLive: 'Words appear while you speak.',
  dictationAfterStop: 'The text arrives once you stop recording.',
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

/** ok: works; limited: works with a limit; bad: does not work. */
export type Verdict = 'ok' | 'limited' | 'bad'

export interface CapabilityReportProps {
  /** Report these instead of detecting them, e.g. to show a visitor's report elsewhere. */
  capabilities?: VoiceCapabilities
  /** The microphone permission to report instead of asking the Permissions API. */
  microphonePermission?: MicrophonePermission
  labels?: Partial<CapabilityReportLabels>
  className?: string
}

const FORMAT_NAMES: Record<string, string> = {
  'audio/webm;codecs=opus': 'WebM (Opus)',
  'audio/webm': 'WebM',
  'audio/ogg;codecs=opus': 'Ogg (Opus)',
  'audio/ogg': 'Ogg',
  'audio/mp4;codecs=mp4a.40.2': 'MP4 (AAC)',
  'audio/mp4': 'MP4',
  'audio/mpeg': 'MP3',
  'audio/wav': 'WAV',
}

function microphone(caps: VoiceCapabilities, permission: MicrophonePermission, t: CapabilityReportLabels) {
  if (!caps.getUserMedia) return { verdict: 'bad' as Verdict, text: t.microphoneMissing }
  if (!caps.secureContext) return { verdict: 'bad' as Verdict, text: t.microphoneInsecure }
  if (permission === 'denied') return { verdict: 'bad' as Verdict, text: t.microphoneBlocked }
  if (permission === 'granted') return { verdict: 'ok' as Verdict, text: t.microphoneAllowed }
  return { verdict: 'ok' as Verdict, text: permission === 'prompt' ? t.microphoneAsks : t.microphoneAvailable }
}

function playback(engine: PlaybackEngine | null, t: CapabilityReportLabels): { verdict: Verdict; text: string } {
  if (engine === 'mse' || engine === 'managed-mse') return { verdict: 'ok', text: t.playbackMse }
  if (engine === 'webaudio') return { verdict: 'ok', text: t.playbackWebAudio }
  if (engine === 'blob') return { verdict: 'limited', text: t.playbackBlob }
  return { verdict: 'bad', text: t.playbackMissing }
}

function VerdictBadge({ verdict, t }: { verdict: Verdict; t: CapabilityReportLabels }) {
  return (
    <span className="vk-capabilities__verdict" data-verdict={verdict}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d={
            verdict === 'bad'
              ? 'M4.2 3 3 4.2 6.8 8 3 11.8 4.2 13 8 9.2l3.8 3.8 1.2-1.2L9.2 8 13 4.2 11.8 3 8 6.8Z'
              : verdict === 'limited'
                ? 'M7 3h2v6H7Zm0 8h2v2H7Z'
                : 'M6.2 10.6 3.4 7.8 2.2 9l4 4 7.6-7.6-1.2-1.2Z'
          }
        />
      </svg>
      {verdict === 'ok' ? t.works : verdict === 'limited' ? t.limited : t.unavailable}
    </span>
  )
}

/**
 * What the visitor's browser can do with voice, in words: whether dictation and reading aloud work
 * (the microphone permission included), then the detected features as technical details, where an
 * alternative that is absent (ManagedMediaSource in Chromium, say) is a plain fact, not an alarm.
 */
export function CapabilityReport({ capabilities, microphonePermission, labels, className }: CapabilityReportProps) {
  const detected = useVoiceCapabilities()
  const queried = useMicrophonePermission()
  const caps = capabilities ?? detected
  const permission = microphonePermission ?? queried
  const t = { ...defaultCapabilityReportLabels, ...labels }
  if (caps === null)
    return (
      <section className={cx('vk-capabilities', className)} aria-label={t.title}>
        <h2 className="vk-capabilities__title">{t.title}</h2>
        <p role="status">{t.detecting}</p>
      </section>
    )
  const mic = microphone(caps, permission, t)
  const format = caps.recordingTypes[0]
  const recording: { verdict: Verdict; text: string } = format
    ? { verdict: 'ok', text: t.recordingWorks.replace('{format}', FORMAT_NAMES[format] ?? format) }
    : { verdict: 'bad', text: t.recordingMissing }
  const play = playback(caps.playbackEngine, t)
  const dictation: Verdict = mic.verdict === 'bad' || recording.verdict === 'bad' ? 'bad' : 'ok'
  return (
    <section className={cx('vk-capabilities', className)} aria-label={t.title}>
      <h2 className="vk-capabilities__title">{t.title}</h2>
      <div className="vk-capabilities__summary">
        <div className="vk-capabilities__feature" data-verdict={dictation}>
          <h3>
            {t.dictation} <VerdictBadge verdict={dictation} t={t} />
          </h3>
          <p data-testid="microphone">
            <span className="vk-capabilities__what">{t.microphone}:</span> {mic.text}
          </p>
          <p>{recording.text}</p>
          {dictation === 'ok' && caps.dictationMode && (
            <p>{caps.dictationMode === 'continuous' ? t.dictationLive : t.dictationAfterStop}</p>
          )}
        </div>
        <div className="vk-capabilities__feature" data-verdict={play.verdict}>
          <h3>
            {t.readAloud} <VerdictBadge verdict={play.verdict} t={t} />
          </h3>
          <p>{play.text}</p>
        </div>
      </div>
      <details className="vk-capabilities__details">
        <summary>{t.details}</summary>
        <dl className="vk-capabilities__list">
          {flags.map((flag) => (
            <div className="vk-capabilities__row" key={flag} data-supported={caps[flag]}>
              <dt>{t[flag]}</dt>
              <dd>{caps[flag] ? t.yes : t.no}</dd>
            </div>
          ))}
          <div className="vk-capabilities__row" data-supported={caps.recordingTypes.length > 0}>
            <dt>{t.recordingTypes}</dt>
            <dd>{caps.recordingTypes.length ? caps.recordingTypes.join(', ') : t.none}</dd>
          </div>
          <div className="vk-capabilities__row" data-supported={caps.playbackEngine !== null}>
            <dt>{t.playbackEngine}</dt>
            <dd>{caps.playbackEngine ?? t.none}</dd>
          </div>
          <div className="vk-capabilities__row" data-supported={caps.dictationMode !== null}>
            <dt>{t.dictationMode}</dt>
            <dd>{caps.dictationMode ?? t.none}</dd>
          </div>
        </dl>
      </details>
    </section>
  )
}
