import type { Meta, StoryObj } from '@storybook/react-vite'
import { useOutputLevel, useSpeak, useTranscribe } from '@voicekit/react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { MicButton } from '../mic-button'
import { SpeakButton } from '../speak-button'
import { fakeVoice } from '../stories/voice'
import { Waveform } from './Waveform'

const meta = {
  title: 'UI/Waveform',
  component: Waveform,
  ...fakeVoice,
} satisfies Meta<typeof Waveform>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }
/** Pixels drawn on the canvas (alpha > 0). */
const painted = (canvas: HTMLCanvasElement) => {
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
  let lit = 0
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) lit++
  return lit
}

let micRenders = 0
function Microphone() {
  micRenders++
  const transcribe = useTranscribe()
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: '0.75rem' }}>
      <MicButton transcribe={transcribe} />
      <Waveform source={transcribe.level} label="Microphone level" />
    </div>
  )
}

/** The microphone, drawn on a canvas every frame: the component does not re-render per frame. */
export const MicrophoneLevel: Story = {
  args: { source: null },
  render: () => <Microphone />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Dictate' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Recording.'), long)
    const before = micRenders
    const wave = canvas.getByRole('img', { name: 'Microphone level' }) as HTMLCanvasElement
    await waitFor(() => expect(painted(wave)).toBeGreaterThan(0), long)
    await new Promise((resolve) => setTimeout(resolve, 600))
    // Only the once-a-second timer may render the owner, never every frame (~36 frames here).
    await expect(micRenders - before).toBeLessThanOrEqual(2)
  },
}

function Playback() {
  const speaker = useSpeak()
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: '0.75rem' }}>
      <SpeakButton text="The first sentence is short." speaker={speaker} />
      <Waveform source={useOutputLevel(speaker.player)} label="Speech level" />
    </div>
  )
}

/** What is playing, from the player's output (Web Audio tap, or the element's captured stream). */
export const PlaybackLevel: Story = {
  args: { source: null },
  render: () => <Playback />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Read aloud' }))
    const wave = canvas.getByRole('img', { name: 'Speech level' }) as HTMLCanvasElement
    await waitFor(() => expect(painted(wave)).toBeGreaterThan(0), long)
  },
}

/** Nothing to show: a decorative, hidden, flat line. */
export const Idle: Story = {
  args: { source: { get: () => 0, subscribe: () => () => {} } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('canvas')).toHaveAttribute('aria-hidden', 'true')
  },
}
