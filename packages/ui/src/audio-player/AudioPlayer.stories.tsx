import type { Meta, StoryObj } from '@storybook/react-vite'
import { type UseSpeakOptions, useSpeak } from '@voicekit/react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { SpeakButton } from '../speak-button'
import { blockAudio, fakeVoice } from '../stories/voice'
import { AudioPlayer } from './AudioPlayer'

const text = 'The first sentence is short. Here comes the second one. And this is the third.'

/** A SpeakButton and an AudioPlayer sharing one `useSpeak()`: the player follows the stream. */
function SpeakAndFollow({ options }: { options?: UseSpeakOptions }) {
  const speaker = useSpeak(options)
  return (
    <div style={{ display: 'grid', gap: '0.75rem', justifyItems: 'start' }}>
      <SpeakButton text={text} speaker={speaker} />
      <AudioPlayer player={speaker} onPlay={() => void speaker.speak(text)} />
    </div>
  )
}

const meta = {
  title: 'UI/AudioPlayer',
  component: SpeakAndFollow,
  subcomponents: { AudioPlayer, SpeakButton },
  ...fakeVoice,
} satisfies Meta<typeof SpeakAndFollow>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }
const player = (canvasElement: HTMLElement) => canvasElement.querySelector<HTMLElement>('.vk-player')!
const until = (canvasElement: HTMLElement, state: string) =>
  waitFor(() => expect(player(canvasElement)).toHaveAttribute('data-state', state), long)

/** Nothing loaded: Play asks for the speech (`onPlay`). */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('group', { name: 'Audio player' })).toBeVisible()
    await expect(canvas.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute(
      'aria-valuetext',
      '0:00 of 0:00',
    )
  },
}

/** Playing: progress, buffered range and time follow the stream. */
export const Playing: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }))
    await until(canvasElement, 'playing')
    const progress = canvas.getByRole('progressbar', { name: 'Progress' })
    await waitFor(() => expect(Number(progress.getAttribute('aria-valuemax'))).toBeGreaterThanOrEqual(2), long)
    await waitFor(() => expect(Number(progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(1), long)
    await expect(canvas.getByRole('button', { name: 'Pause' })).toBeVisible()
  },
}

/** Paused, then resumed; the rate changes live. */
export const PausedAndRate: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await until(canvasElement, 'playing')
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }))
    await until(canvasElement, 'paused')
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'Speed' }), '1.5')
    await expect(canvas.getByRole('combobox', { name: 'Speed' })).toHaveValue('1.5')
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }))
    await until(canvasElement, 'playing')
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }))
    await until(canvasElement, 'paused')
  },
}

/** Loading: the provider has not answered yet. */
export const Loading: Story = {
  parameters: { fake: { latencyMs: 60_000 } },
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Play' }))
    await until(canvasElement, 'loading')
  },
}

/** Blocked by the autoplay policy: Play starts it. */
export const Blocked: Story = {
  beforeEach: blockAudio,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }))
    await until(canvasElement, 'blocked')
    await expect(within(player(canvasElement)).getByRole('status')).toHaveTextContent('The browser blocked the audio.')
    blockAudio.restore()
    await userEvent.click(within(player(canvasElement)).getByRole('button', { name: 'Play' }))
    await until(canvasElement, 'playing')
  },
}

/** The stream failed. */
export const ErrorState: Story = {
  name: 'Error',
  parameters: { fake: { speakErrors: ['provider_unavailable'] } },
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Play' }))
    await until(canvasElement, 'error')
    await expect(within(player(canvasElement)).getByRole('status')).toHaveTextContent('The audio could not be played.')
  },
}

/** Played to the end. */
export const Ended: Story = {
  parameters: { fake: { chunkDelayMs: 0, chunkBytes: 65536 } },
  args: { options: { playbackRate: 2 } },
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Play' }))
    await until(canvasElement, 'playing')
    await until(canvasElement, 'done')
  },
}
