import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { blockAudio, fakeVoice, transportOf } from '../stories/voice'
import { SpeakButton } from './SpeakButton'

const meta = {
  title: 'UI/SpeakButton',
  component: SpeakButton,
  ...fakeVoice,
  args: { text: 'The first sentence is short. Here comes the second one. And this is the third.' },
} satisfies Meta<typeof SpeakButton>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }
const wrapper = (canvasElement: HTMLElement) => canvasElement.querySelector<HTMLElement>('.vk-speak')!
const until = (canvasElement: HTMLElement, state: string) =>
  waitFor(() => expect(wrapper(canvasElement)).toHaveAttribute('data-state', state), long)

export const Idle: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Read aloud' })).toBeEnabled()
  },
}

/** Loading: waiting for the provider's first bytes. */
export const Loading: Story = {
  parameters: { fake: { latencyMs: 60_000 } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await until(canvasElement, 'loading')
    await expect(canvas.getByRole('button', { name: 'Stop reading' })).toBeVisible()
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Loading speech…'))
  },
}

/** Playing while the speech still streams in (a bundled MP3, sliced by the fake transport). */
export const Playing: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await until(canvasElement, 'playing')
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Playing.'))
    await expect(transportOf(loaded).calls.speak).toEqual([meta.args.text])
  },
}

/** A second press stops. */
export const SecondPressStops: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await until(canvasElement, 'playing')
    await userEvent.click(canvas.getByRole('button', { name: 'Stop reading' }))
    await until(canvasElement, 'idle')
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Stopped.'))
    await expect(canvas.getByRole('button', { name: 'Read aloud' })).toHaveFocus()
  },
}

/** Blocked by the autoplay policy: the message shows, and a press plays. */
export const Blocked: Story = {
  beforeEach: blockAudio,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await until(canvasElement, 'blocked')
    await expect(canvas.getByRole('status')).toHaveTextContent('The browser blocked the audio.')
    blockAudio.restore()
    await userEvent.click(canvas.getByRole('button', { name: 'Play audio' }))
    await until(canvasElement, 'playing')
  },
}

/** Blocked, left as the person sees it. */
export const BlockedState: Story = {
  name: 'Blocked (as shown)',
  beforeEach: blockAudio,
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Read aloud' }))
    await until(canvasElement, 'blocked')
  },
}

/** The provider failed: the error shows; pressing again retries. */
export const ErrorState: Story = {
  name: 'Error',
  parameters: { fake: { speakErrors: ['provider_unavailable', null] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await until(canvasElement, 'error')
    await expect(canvas.getByRole('status')).toHaveTextContent('The text could not be read aloud.')
  },
}

export const Translated: Story = {
  args: { labels: { speak: 'Vorlesen', stop: 'Vorlesen beenden' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Vorlesen' }))
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Vorlesen beenden' })).toBeVisible())
  },
}
