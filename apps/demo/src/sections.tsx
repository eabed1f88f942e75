import type { SpeechTransport, Transcript } from '@voicekit/core'
import { useSpeak } from '@voicekit/react'
import { AudioPlayer, MicButton, SpeakButton, TranscriptView, VoiceInput } from '@voicekit/ui'
import { useState } from 'react'

export function Dictation() {
  return (
    <section className="demo-card" aria-labelledby="dictation-title">
      <h2 id="dictation-title">Dictation</h2>
      <p className="demo-lead">
        Press the microphone (or Space on it), speak, press again: the text lands at the caret.
      </p>
      <VoiceInput multiline rows={4} aria-label="Note" placeholder="Type, or dictate…" />
    </section>
  )
}

const SAMPLE =
  'Hello! This is voicekit reading aloud. The audio plays while it is still streaming in, sentence by sentence. ' +
  'Press stop at any time.'

function formatMs(ms: number | null) {
  return ms === null ? '—' : `${Math.round(ms)} ms`
}

export function ReadAloud({ transport }: { transport: SpeechTransport }) {
  const [text, setText] = useState(SAMPLE)
  const speaker = useSpeak({ interrupt: true })
  const canSpeak = typeof transport.speak === 'function'
  return (
    <section className="demo-card" aria-labelledby="read-title">
      <h2 id="read-title">Read aloud</h2>
      <label className="demo-field">
        <span>Text to speak</span>
        <textarea rows={4} value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      {canSpeak ? (
        <>
          <div className="demo-row">
            <SpeakButton text={text} speaker={speaker} />
            <AudioPlayer player={speaker} onPlay={() => void speaker.speak(text)} />
          </div>
          {speaker.error && (
            <p role="alert" className="demo-error">
              {speaker.error.message} ({speaker.error.code})
            </p>
          )}
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
        <p className="demo-lead">{transport.provider} has no text-to-speech: pick another provider to hear it.</p>
      )}
    </section>
  )
}

export function TranscriptSection({ transport }: { transport: SpeechTransport }) {
  const [transcript, setTranscript] = useState<Transcript | null>(null)
  return (
    <section className="demo-card" aria-labelledby="transcript-title">
      <h2 id="transcript-title">Transcript with timestamps</h2>
      <div className="demo-row">
        <MicButton onTranscript={setTranscript} options={{ transport, timestamps: 'segment' }} />
        <span className="demo-lead">Record a few sentences to see them with their times.</span>
      </div>
      <TranscriptView transcript={transcript} />
    </section>
  )
}
