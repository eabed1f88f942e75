import type { SpeechTransport, Transcript, VoiceError } from '@voicekit/core'
import { type TranscribeStatus, useTranscribe } from '@voicekit/react'
import { MicButton, TranscriptView } from '@voicekit/ui'
import { useState } from 'react'
import type { EngineReport } from '../speech-engines'
import { EngineNotice, missingEngines } from './EngineNotice'
import { providerDetail } from './errors'
import { Section } from './Section'

/** What the microphone is doing, in words (its colour and ring say the same). */
function micWords(status: TranscribeStatus, segments: number): string {
  switch (status) {
    case 'requesting':
      return 'Waiting for the microphone…'
    case 'recording':
    case 'paused':
      return 'Recording. Press the microphone again to stop.'
    case 'stopping':
    case 'transcribing':
      return 'Transcribing…'
    case 'done':
      return segments === 1 ? 'Transcript ready: 1 segment.' : `Transcript ready: ${segments} segments.`
    default:
      return 'Press the microphone and read a few sentences.'
  }
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

const ERRORS: Partial<Record<VoiceError['code'], string>> = {
  permission_denied: 'Microphone access is blocked. Allow it in the address bar, then press the microphone again.',
  no_microphone: 'No microphone was found.',
  microphone_busy: 'The microphone is in use by another app.',
  no_audio: 'Nothing was recorded.',
  recording_too_short: 'That recording was too short: hold on a little longer.',
  network: 'The speech service could not be reached.',
  timeout: 'The speech service took too long to answer.',
}

export function Timestamps({
  transport,
  engines,
}: {
  transport: SpeechTransport
  engines: EngineReport | null | undefined
}) {
  const [transcript, setTranscript] = useState<Transcript | null>(null)
  const t = useTranscribe({ transport, timestamps: 'segment', onTranscript: setTranscript })
  const notSetUp = missingEngines(engines, ['stt', 'decoder']).length > 0
  const failed = t.status === 'error'
  const words = failed
    ? notSetUp
      ? 'Transcription is not set up on this computer yet: see the note above.'
      : ((t.error && ERRORS[t.error.code]) ?? 'Transcription failed.')
    : micWords(t.status, transcript?.segments.length ?? 0)
  const recording = t.status === 'recording' || t.status === 'paused'
  const detail = failed && !notSetUp ? providerDetail(t.error) : null
  return (
    <Section
      id="timestamps"
      title="Transcript with timestamps"
      uses="<MicButton> + <TranscriptView>"
      lead="Each segment comes back with its start time."
    >
      <EngineNotice report={engines} needs={['stt', 'decoder']} feature="This transcript" id="timestamps-notice" />
      <div className="demo-mic-row" data-state={failed ? 'error' : t.status}>
        <MicButton transcribe={t} announce={false} aria-describedby="timestamps-mic-state" />
        <p className="demo-mic-state">
          <span id="timestamps-mic-state" role="status" data-testid="mic-state">
            {words}
          </span>
          {recording && (
            // Not in the live region: a clock would be announced every second.
            <span className="demo-mic-time" aria-hidden="true">
              {clock(t.durationMs)}
            </span>
          )}
        </p>
      </div>
      {detail && (
        <p className="demo-detail" data-testid="timestamps-detail">
          {detail}
        </p>
      )}
      {transcript && <TranscriptView transcript={transcript} />}
    </Section>
  )
}
