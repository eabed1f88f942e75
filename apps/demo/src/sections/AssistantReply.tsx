// The assistant-reply scenario: a reply streamed from the backend at about 30 tokens a second is shown
// as it is written and spoken at the same time, sentence by sentence; first token → first audio is shown.
import { useSpeak } from '@voicekit/react'
import { AudioPlayer } from '@voicekit/ui'
import { useRef, useState } from 'react'
import { Section } from './Section'

const formatMs = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms)} ms`)

export function AssistantReply() {
  const speaker = useSpeak({ interrupt: true })
  const [text, setText] = useState('')
  const [firstAudio, setFirstAudio] = useState<number | null>(null)
  const [running, setRunning] = useState(false)
  const stop = useRef<AbortController | null>(null)

  const ask = () => {
    stop.current?.abort()
    const control = new AbortController()
    stop.current = control
    setText('')
    setFirstAudio(null)
    setRunning(true)
    let tokenAt: number | null = null
    async function* reply() {
      const response = await fetch('/api/assistant-reply', { signal: control.signal })
      if (!response.ok || !response.body) throw new Error(`The reply could not be loaded (${response.status})`)
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return
          tokenAt ??= performance.now()
          setText((shown) => shown + value)
          yield value
        }
      } finally {
        reader.cancel().catch(() => {})
      }
    }
    const unsubscribe = speaker.player.subscribe(() => {
      if (speaker.player.getSnapshot().status === 'playing' && tokenAt !== null) {
        setFirstAudio(performance.now() - tokenAt)
        unsubscribe()
      }
    })
    // speak() unlocks audio synchronously, inside this click.
    void speaker.speak(reply(), { signal: control.signal }).finally(() => {
      unsubscribe()
      setRunning(false)
    })
  }

  return (
    <Section
      id="assistant-reply"
      title="Assistant reply"
      uses="useSpeak().speak(textStream)"
      lead="A reply streamed at about 30 tokens a second is spoken while it is still being written, sentence by sentence."
    >
      <div className="demo-row">
        <button type="button" className="vk-button" onClick={ask}>
          {running ? 'Ask again' : 'Ask the assistant'}
        </button>
        <button type="button" className="vk-button" onClick={() => stop.current?.abort()} disabled={!running}>
          Stop
        </button>
      </div>
      <label className="demo-field">
        <span>Reply</span>
        <textarea rows={5} readOnly value={text} />
      </label>
      {/* The reply's failure is reported once, below, with its reason. */}
      <AudioPlayer className="demo-player" player={speaker} announceErrors={false} />
      {speaker.error && speaker.error.code !== 'aborted' && (
        <p role="alert" className="demo-error">
          {speaker.error.message}
        </p>
      )}
      <dl className="demo-stats" aria-label="Reply figures">
        <div>
          <dt>First token → first audio</dt>
          <dd data-testid="token-to-audio">{formatMs(firstAudio)}</dd>
        </div>
        <div>
          <dt>Underruns</dt>
          <dd>{speaker.underruns}</dd>
        </div>
      </dl>
    </Section>
  )
}
