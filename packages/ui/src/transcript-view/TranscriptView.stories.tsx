import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { speechTranscript, speechUrl } from '../stories/fake-transport'
import { TranscriptView } from './TranscriptView'

const meta = {
  title: 'UI/TranscriptView',
  component: TranscriptView,
  args: { transcript: speechTranscript },
} satisfies Meta<typeof TranscriptView>
export default meta
type Story = StoryObj<typeof meta>

/** Segments with their start times. */
export const Segments: Story = {
  play: async ({ canvasElement }) => {
    const list = within(canvasElement).getByRole('list', { name: 'Transcript' })
    await expect(within(list).getAllByRole('listitem')).toHaveLength(3)
    await expect(list).toHaveTextContent('0:01 Here comes the second one.')
  },
}

/** A transcript without timestamps shows its text. */
export const TextOnly: Story = {
  args: { transcript: { text: 'please turn on the kitchen lights', segments: [] } },
}

/** With `onSeek`, each segment is a button; the one at `currentTime` is marked. */
export const Seekable: Story = {
  args: { onSeek: fn(), currentTime: 2 },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    const second = canvas.getByRole('button', { name: 'Play from 0:01 Here comes the second one.' })
    await expect(second).toHaveAttribute('aria-current', 'true')
    await userEvent.click(canvas.getByRole('button', { name: /And this is the third/ }))
    await expect(args.onSeek).toHaveBeenCalledWith(3.2)
  },
}

function WithAudio() {
  const [media, setMedia] = useState<HTMLAudioElement | null>(null)
  return (
    <div style={{ display: 'grid', gap: '0.75rem' }}>
      {/* biome-ignore lint/a11y/useMediaCaption: the transcript below is the text alternative */}
      <audio ref={setMedia} src={speechUrl} controls preload="auto" />
      <TranscriptView transcript={speechTranscript} media={media} />
    </div>
  )
}

/** Attached to an audio element: clicking a segment seeks there and plays; the segment playing is marked. */
export const AttachedToAudio: Story = {
  render: () => <WithAudio />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const audio = canvasElement.querySelector('audio')!
    const third = canvas.getByRole('button', { name: /And this is the third/ })
    await userEvent.click(third)
    await waitFor(() => expect(audio.currentTime).toBeGreaterThanOrEqual(3.2), { timeout: 15_000 })
    await waitFor(() => expect(third).toHaveAttribute('aria-current', 'true'), { timeout: 15_000 })
    audio.pause()
  },
}
