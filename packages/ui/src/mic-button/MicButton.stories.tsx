import type { Meta, StoryObj } from '@storybook/react-vite'
import { useTranscribe } from '@voicekit/react'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { denyMicrophone, fakeVoice, hangMicrophone, sleep } from '../stories/voice'
import { TranscriptView } from '../transcript-view'
import { MicButton } from './MicButton'

const meta = {
  title: 'UI/MicButton',
  component: MicButton,
  ...fakeVoice,
} satisfies Meta<typeof MicButton>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }
const parts = (canvasElement: HTMLElement) => {
  const canvas = within(canvasElement)
  return { canvas, mic: canvas.getByRole('button', { name: 'Dictate' }), status: canvas.getByRole('status') }
}
const until = (mic: HTMLElement, state: string) => waitFor(() => expect(mic).toHaveAttribute('data-state', state), long)

export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const { mic } = parts(canvasElement)
    await expect(mic).toHaveAttribute('aria-pressed', 'false')
  },
}

export const Requesting: Story = {
  beforeEach: hangMicrophone,
  play: async ({ canvasElement }) => {
    const { mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'requesting')
    await expect(mic).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(status).toHaveTextContent('Waiting for the microphone…'))
  },
}

export const Recording: Story = {
  play: async ({ canvasElement }) => {
    const { mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await expect(mic).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(status).toHaveTextContent('Recording.'))
    await expect(status.getBoundingClientRect().width).toBeGreaterThan(100)
  },
}

export const Transcribing: Story = {
  parameters: { fake: { latencyMs: 60_000 } },
  play: async ({ canvasElement }) => {
    const { mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await sleep(600)
    await userEvent.click(mic)
    await until(mic, 'transcribing')
    await expect(mic).toHaveAttribute('aria-pressed', 'false')
    await waitFor(() => expect(status).toHaveTextContent('Transcribing…'))
  },
}

/** Blocked: the microphone permission was denied; the error is announced. */
export const Blocked: Story = {
  beforeEach: denyMicrophone,
  play: async ({ canvasElement }) => {
    const { mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'error')
    await waitFor(() => expect(status).toHaveTextContent('Microphone access is blocked'))
  },
}

/** The upload failed: the error is announced, and the next press records again. */
export const ErrorState: Story = {
  name: 'Error',
  parameters: { fake: { transcribeErrors: ['network'] } },
  play: async ({ canvasElement }) => {
    const { mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await sleep(600)
    await userEvent.click(mic)
    await until(mic, 'error')
    await waitFor(() => expect(status).toHaveTextContent('The speech service could not be reached.'))
    // In words on the screen, not only in the red icon (a visually hidden region is 1 px wide).
    await expect(status.getBoundingClientRect().width).toBeGreaterThan(100)
  },
}

/** Escape cancels a recording; nothing is sent. */
export const EscapeCancels: Story = {
  play: async ({ canvasElement, loaded }) => {
    const { mic, status } = parts(canvasElement)
    mic.focus()
    await userEvent.keyboard('{Enter}')
    await until(mic, 'recording')
    await userEvent.keyboard('{Escape}')
    await until(mic, 'idle')
    await waitFor(() => expect(status).toHaveTextContent('Recording cancelled.'))
    await expect((loaded.transport as { calls: { transcribe: Blob[] } }).calls.transcribe).toHaveLength(0)
  },
}

/** Hold to talk with the pointer: press, speak, release. */
export const HoldWithPointer: Story = {
  args: { mode: 'hold' },
  play: async ({ canvasElement }) => {
    const { mic, status } = parts(canvasElement)
    const user = userEvent.setup()
    await user.pointer({ keys: '[MouseLeft>]', target: mic })
    await until(mic, 'recording')
    await sleep(800)
    await user.pointer({ keys: '[/MouseLeft]', target: mic })
    await waitFor(() => expect(status).toHaveTextContent('Transcript ready.'), long)
  },
}

function CustomLayout() {
  const transcribe = useTranscribe({ timestamps: 'segment' })
  const [shown, setShown] = useState(true)
  return (
    <div style={{ display: 'grid', gap: '0.75rem', justifyItems: 'start' }}>
      <p style={{ margin: 0 }}>
        Ask something <MicButton transcribe={transcribe} labels={{ mic: 'Ask by voice' }} />
      </p>
      <label>
        <input type="checkbox" checked={shown} onChange={(event) => setShown(event.target.checked)} /> Show transcript
      </label>
      {shown && <TranscriptView transcript={transcribe.transcript} />}
    </div>
  )
}

/** For custom layouts: the button drives a `useTranscribe()` the page owns. */
export const WithUseTranscribe: Story = {
  render: () => <CustomLayout />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const mic = canvas.getByRole('button', { name: 'Ask by voice' })
    await userEvent.click(mic)
    await until(mic, 'recording')
    await sleep(800)
    await userEvent.click(mic)
    await waitFor(() => expect(canvas.getByText('the kitchen lights')).toBeVisible(), long)
  },
}
