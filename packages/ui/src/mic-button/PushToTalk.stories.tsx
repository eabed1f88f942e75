import type { Meta, StoryObj } from '@storybook/react-vite'
import { useMicButton, useTranscribe } from '@voicekit/react'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { fakeVoice, sleep } from '../stories/voice'
import { MicButton } from './MicButton'

const meta = {
  title: 'UI/Push to talk',
  component: MicButton,
  ...fakeVoice,
} satisfies Meta<typeof MicButton>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }

function Card() {
  const transcribe = useTranscribe()
  const [log, setLog] = useState<string[]>([])
  const mic = useMicButton(transcribe, {
    mode: 'hold',
    onPttStart: () => setLog((l) => [...l, 'start']),
    onPttEnd: (why) => setLog((l) => [...l, why]),
  })
  return (
    <div style={{ display: 'grid', gap: '0.5rem', justifyItems: 'start' }}>
      <div
        {...mic.getTriggerProps({ 'aria-label': 'Hold to talk' })}
        className="vk-button"
        style={{ padding: '1rem 1.5rem' }}
      >
        {mic.status === 'recording' ? 'Listening… release to send' : 'Hold to talk (or hold Space)'}
      </div>
      <p style={{ margin: 0 }}>
        Events: <output aria-label="Events">{log.join(', ') || 'none'}</output>
      </p>
      <p style={{ margin: 0 }}>{transcribe.transcript?.text}</p>
    </div>
  )
}

/** `useMicButton` on any element: here a card held with Space (or the pointer) records; release sends. */
export const AnyElement: Story = {
  render: () => <Card />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const card = canvas.getByRole('button', { name: 'Hold to talk' })
    card.focus()
    // One user-event session, so that it remembers Space is held down.
    const user = userEvent.setup()
    await user.keyboard('[Space>]')
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'recording'), long)
    await expect(card).toHaveAttribute('aria-pressed', 'true')
    await sleep(900)
    await user.keyboard('[/Space]')
    await waitFor(() => expect(canvas.getByText('please turn on the kitchen lights')).toBeVisible(), long)
    await expect(canvas.getByRole('status', { name: 'Events' })).toHaveTextContent('start, release')
  },
}

/** The MicButton in hold mode says what is happening in words beside it. */
export const HoldWithWords: Story = {
  args: { mode: 'hold' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const mic = canvas.getByRole('button', { name: 'Dictate' })
    const user = userEvent.setup()
    await user.pointer({ keys: '[MouseLeft>]', target: mic })
    await waitFor(() => expect(canvas.getByText('Recording. Release to stop, Escape to cancel.')).toBeVisible(), long)
    await sleep(900)
    await user.pointer({ keys: '[/MouseLeft]', target: mic })
    await waitFor(() => expect(canvas.getByText('Transcript ready.')).toBeVisible(), long)
  },
}
