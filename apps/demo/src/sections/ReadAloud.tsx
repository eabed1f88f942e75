import type { SpeechTransport } from '@voicekit/core'
import { useSpeak } from '@voicekit/react'
import { AudioPlayer, SpeakButton } from '@voicekit/ui'
import { useState } from 'react'
import type { EngineReport } from '../speech-engines'
import { EngineNotice, missingEngines } from './EngineNotice'
import { providerDetail } from './errors'
import { Section } from './Section'

const SAMPLE =
  'Hello! This is voicekit reading aloud. The audio plays while it is still streaming in, sentence by sentence. ' +
  'Press stop at any time.'

const formatMs = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms)} ms`)

interface Props {
  transport: SpeechTransport
  engines: EngineReport | null | undefined
}

/**
 * One control starts and stops (SpeakButton); the player below follows the same speech and offers
 * what the button does not: pause, progress and speed. Its Play never starts a second request.
 */
export function ReadAloud({ transport, engines }: Props) {
  const [text, setText] = useState(SAMPLE)
  const speaker = useSpeak({ interrupt: true })
  const canSpeak = typeof transport.speak === 'function'
  const notSetUp = missingEngines(engines, ['tts']).length > 0
  const empty = text.trim() === ''
  const detail = speaker.status === 'error' ? providerDetail(speaker.error) : null
  const reason = notSetUp ? 'read-aloud-notice' : empty ? 'read-aloud-empty' : undefined
  return (
    <Section
      id="read-aloud"
      title="Read aloud"
      uses="<SpeakButton> + <AudioPlayer>"
      lead="The speech starts playing while it is still streaming in, sentence by sentence."
    >
      {canSpeak ? (
        <>
          <EngineNotice report={engines} needs={['tts']} feature="Reading aloud" id="read-aloud-notice" />
          <label className="demo-field">
            <span>Text to speak</span>
            <textarea rows={3} value={text} onChange={(event) => setText(event.target.value)} />
          </label>
          {/* Room for the button's message and the provider's words, so the player below never moves. */}
          <div className="demo-speak-area">
            <div className="demo-speak">
              <SpeakButton
                text={text}
                speaker={speaker}
                // Stopping stays possible whatever the text; starting needs text and an engine.
                disabled={
                  (empty || notSetUp) &&
                  (speaker.status === 'idle' || speaker.status === 'done' || speaker.status === 'error')
                }
                aria-describedby={reason}
              />
              {empty && (
                <span className="demo-hint" id="read-aloud-empty">
                  Type something to read aloud.
                </span>
              )}
            </div>
            {detail && (
              <p className="demo-detail" data-testid="read-aloud-detail">
                {detail}
              </p>
            )}
          </div>
          <AudioPlayer className="demo-player" player={speaker} announceErrors={false} />
          <dl className="demo-stats" aria-label="Playback figures">
            <div>
              <dt>Engine</dt>
              <dd data-testid="engine">{speaker.engine ?? '—'}</dd>
            </div>
            <div>
              <dt>First byte</dt>
              <dd data-testid="first-byte">{formatMs(speaker.firstByteMs)}</dd>
            </div>
            <div>
              <dt>First audio</dt>
              <dd data-testid="first-audio">{formatMs(speaker.firstAudioMs)}</dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="demo-lead">{transport.provider} has no text to speech: pick another provider to hear it.</p>
      )}
    </Section>
  )
}
