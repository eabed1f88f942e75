import type { Meta, StoryObj } from '@storybook/react-vite'
import { useSpeak } from '@voicekit/react'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { fakeVoice } from './voice'

/** `useSpeak()` with no voicekit component: queue sentences, watch the player state. */
function HeadlessSpeech() {
  const s = useSpeak()
  const [text, setText] = useState('The first sentence is short.')
  return (
    <div style={{ display: 'grid', gap: '0.5rem', justifyItems: 'start', fontFamily: 'system-ui' }}>
      <label>
        Text <input value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      <div style={{ display: 'flex', gap: '0.5rem' }}>
        <button type="button" onClick={() => void s.speak(text)}>
          Speak
        </button>
        <button type="button" onClick={s.stop}>
          Stop
        </button>
      </div>
      <p role="status" style={{ margin: 0 }}>
        Status: <strong>{s.status}</strong> · engine {s.engine ?? '–'} · queued {s.queued}
      </p>
      <p data-testid="timing" style={{ margin: 0 }}>
        first audio after {s.firstAudioMs ?? '–'} ms · {s.currentTime.toFixed(1)} s of {s.bufferedUntil.toFixed(1)} s
      </p>
    </div>
  )
}

const meta = {
  title: 'Hooks/useSpeak',
  component: HeadlessSpeech,
  ...fakeVoice,
} satisfies Meta<typeof HeadlessSpeech>
export default meta
type Story = StoryObj<typeof meta>

/** Speech plays while it streams in; `firstAudioMs` measures the wait. */
export const Headless: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Speak' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('playing'), { timeout: 15_000 })
    await waitFor(() => expect(canvas.getByTestId('timing')).toHaveTextContent(/first audio after \d+ ms/))
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('idle'))
  },
}
