import type { Meta, StoryObj } from '@storybook/react-vite'
import { type UseBargeInOptions, useBargeIn, useSpeak, useTranscribe } from '@voicekit/react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { MicButton } from '../mic-button'
import { SpeakButton } from '../speak-button'
import { fakeVoice } from './voice'

function Assistant({ mode }: { mode: UseBargeInOptions['mode'] }) {
  const speaker = useSpeak()
  const transcribe = useTranscribe()
  useBargeIn(speaker.player, transcribe.status === 'recording', { mode })
  return (
    <div style={{ display: 'grid', gap: '0.75rem', justifyItems: 'start' }}>
      <SpeakButton
        text="The first sentence is short. Here comes the second one. And this is the third."
        speaker={speaker}
      />
      <div>
        <MicButton transcribe={transcribe} labels={{ mic: 'Talk over it' }} />
      </div>
      <p style={{ margin: 0 }}>
        Volume: <output aria-label="Volume">{Math.round(speaker.volume * 100)} %</output>
      </p>
    </div>
  )
}

const meta = {
  title: 'Hooks/useBargeIn',
  component: Assistant,
  ...fakeVoice,
  args: { mode: 'stop' },
} satisfies Meta<typeof Assistant>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }
const speakState = (canvasElement: HTMLElement) => canvasElement.querySelector('.vk-speak')!

/** Start talking while speech plays: it stops. */
export const Stop: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await waitFor(() => expect(speakState(canvasElement)).toHaveAttribute('data-state', 'playing'), long)
    await userEvent.click(canvas.getByRole('button', { name: 'Talk over it' }))
    await waitFor(() => expect(speakState(canvasElement)).toHaveAttribute('data-state', 'idle'), long)
    await userEvent.keyboard('{Escape}')
  },
}

/** Or it ducks while the person talks, and comes back after. */
export const Duck: Story = {
  args: { mode: 'duck' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await waitFor(() => expect(speakState(canvasElement)).toHaveAttribute('data-state', 'playing'), long)
    const mic = canvas.getByRole('button', { name: 'Talk over it' })
    await userEvent.click(mic)
    await waitFor(() => expect(canvas.getByRole('status', { name: 'Volume' })).toHaveTextContent('20 %'), long)
    await expect(speakState(canvasElement)).toHaveAttribute('data-state', 'playing')
    mic.focus()
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(canvas.getByRole('status', { name: 'Volume' })).toHaveTextContent('100 %'), long)
    await userEvent.click(canvas.getByRole('button', { name: 'Stop reading' }))
  },
}
