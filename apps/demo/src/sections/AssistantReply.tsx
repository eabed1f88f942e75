// The assistant-reply scenario: a reply streamed from the backend at about 30 tokens a second is shown
// as it is written and spoken at the same time, sentence by sentence; first token → first audio is shown.
// The second button asks a Dify chat app, whose own speech arrives inside its event stream.
import { type DifyStreamEvent, difyTtsAudio, VoiceError } from '@voicekit/core'
import { useSpeak } from '@voicekit/react'
import { AudioPlayer } from '@voicekit/ui'
import { useRef, useState } from 'react'
import { replyErrorText } from './errors'
import { Section } from './Section'

const formatMs = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms)} ms`)

export function AssistantReply() {
  const speaker = useSpeak({ interrupt: true })
  const [text, setText] = useState('')
  const [firstAudio, setFirstAudio] = useState<number | null>(null)
  const [running, setRunning] = useState(false)
  const stop = useRef<AbortController | null>(null)

  /** Starts a new reply: the previous one stops; the first audio is timed from `firstToken()`. */
  const begin = () => {
    stop.current?.abort()
    const control = new AbortController()
    stop.current = control
    setText('')
    setFirstAudio(null)
    setRunning(true)
    let tokenAt: number | null = null
    const unsubscribe = speaker.player.subscribe(() => {
      if (speaker.player.getSnapshot().status === 'playing' && tokenAt !== null) {
        setFirstAudio(performance.now() - tokenAt)
        unsubscribe()
      }
    })
    const firstToken = () => {
      tokenAt ??= performance.now()
    }
    const done = () => {
      unsubscribe()
      setRunning(false)
    }
    return { control, firstToken, done }
  }

  const ask = () => {
    const { control, firstToken, done } = begin()
    async function* reply() {
      const response = await fetch('/api/assistant-reply', { signal: control.signal })
      if (!response.ok || !response.body) {
        throw new VoiceError(
          response.status >= 500 ? 'provider_unavailable' : 'provider_error',
          `The reply could not be loaded (${response.status})`,
        )
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return
          firstToken()
          setText((shown) => shown + value)
          yield value
        }
      } finally {
        reader.cancel().catch(() => {})
      }
    }
    // speak() unlocks audio synchronously, inside this click.
    void speaker.speak(reply(), { signal: control.signal }).finally(done)
  }

  const askDify = () => {
    const { control, firstToken, done } = begin()
    const onEvent = (event: DifyStreamEvent) => {
      const { answer } = event
      if (event.event !== 'message' || typeof answer !== 'string') return
      firstToken()
      setText((shown) => shown + answer)
    }
    // The player takes Dify's audio like any other stream; play() unlocks audio inside this click too.
    void speaker.player
      .play(
        async (signal) => {
          const response = await fetch('/api/dify-chat', { method: 'POST', signal })
          return difyTtsAudio(response, { onEvent })
        },
        { interrupt: true, signal: control.signal },
      )
      .finally(done)
  }

  return (
    <Section
      id="assistant-reply"
      title="Assistant reply"
      uses="useSpeak().speak(textStream) · retry() · difyTtsAudio(response)"
      lead="A reply streamed at about 30 tokens a second is spoken while it is still being written, sentence by sentence. A Dify chat app with text to speech sends its own audio inside its event stream; voicekit plays that too."
    >
      <div className="demo-row">
        <button type="button" className="vk-button" onClick={ask}>
          Ask the assistant
        </button>
        <button type="button" className="vk-button" onClick={askDify}>
          Ask a Dify chat app
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
        <div className="demo-row">
          <p role="alert" className="demo-error" data-code={speaker.error.code}>
            {replyErrorText(speaker.error)}
          </p>
          {/* retry() says only what was not heard: the reply is not asked again, nothing heard is repeated. */}
          <button type="button" className="vk-button" onClick={() => void speaker.retry()}>
            Say the rest
          </button>
        </div>
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
