import type { Meta, StoryObj } from '@storybook/react-vite'
import { useSpeak } from '@voicekit/react'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { SpeakButton } from '../speak-button'
import { speechTranscript, speechUrl } from '../stories/fake-transport'
import { fakeVoice } from '../stories/voice'
import { TranscriptView } from './TranscriptView'

/** Word times for the bundled speech (as OpenAI's `words` or ElevenLabs' alignment give them). */
const words = [
  ['The', 0, 0.25],
  ['first', 0.25, 0.6],
  ['sentence', 0.6, 1.05],
  ['is', 1.05, 1.2],
  ['short.', 1.2, 1.6],
  ['Here', 1.6, 1.9],
  ['comes', 1.9, 2.2],
  ['the', 2.2, 2.35],
  ['second', 2.35, 2.8],
  ['one.', 2.8, 3.2],
  ['And', 3.2, 3.45],
  ['this', 3.45, 3.7],
  ['is', 3.7, 3.85],
  ['the', 3.85, 4],
  ['third.', 4, 4.6],
].map(([text, start, end]) => ({ text: text as string, start: start as number, end: end as number }))
const worded = { ...speechTranscript, words }

const meta = {
  title: 'UI/TranscriptView/Words',
  component: TranscriptView,
  ...fakeVoice,
  args: { transcript: worded },
} satisfies Meta<typeof TranscriptView>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }

/** The word at `currentTime` is lit. */
export const AtATime: Story = {
  args: { currentTime: 2.5, onSeek: () => {} },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('second')).toHaveAttribute('data-state', 'current')
  },
}

function WithAudio() {
  const [media, setMedia] = useState<HTMLAudioElement | null>(null)
  return (
    <div style={{ display: 'grid', gap: '0.75rem' }}>
      {/* biome-ignore lint/a11y/useMediaCaption: the transcript below is the text alternative */}
      <audio ref={setMedia} src={speechUrl} controls preload="auto" />
      <TranscriptView transcript={worded} media={media} />
    </div>
  )
}

/** Click a word: the audio seeks there and plays, and the words light up as it goes. */
export const ClickAWord: Story = {
  render: () => <WithAudio />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const audio = canvasElement.querySelector('audio')!
    await userEvent.click(canvas.getByText('this'))
    await waitFor(() => expect(audio.currentTime).toBeGreaterThanOrEqual(3.45), long)
    await waitFor(() => expect(canvas.getByText('third.')).toHaveAttribute('data-state', 'current'), long)
    audio.pause()
  },
}

function Speaking() {
  const speaker = useSpeak()
  return (
    <div style={{ display: 'grid', gap: '0.75rem', justifyItems: 'start' }}>
      <SpeakButton text={speechTranscript.text} speaker={speaker} />
      <TranscriptView transcript={worded} player={speaker.player} />
    </div>
  )
}

/** Speech playing: the words follow the player's time. */
export const FollowsSpeech: Story = {
  render: () => <Speaking />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    await waitFor(() => expect(canvas.getByText('comes')).toHaveAttribute('data-state', 'current'), long)
    await userEvent.click(canvas.getByRole('button', { name: 'Stop reading' }))
  },
}
