import type { Meta, StoryObj } from '@storybook/react-vite'
import type { LevelSource, VoiceStatus } from '@voicekit/core'
import { expect, within } from 'storybook/test'
import { MicButton } from '../mic-button'
import { defaultSpeakButtonLabels, SpeakButton } from '../speak-button'

// Every status core can give each button, shown as it is (data-state) and in words, side by side:
// the looks of each state in both themes, checked by axe in both.
const level: LevelSource = { get: () => 0, subscribe: () => () => {} }
const none = () => {}
const MIC: VoiceStatus[] = [
  'idle',
  'requesting',
  'listening',
  'recording',
  'paused',
  'stopping',
  'transcribing',
  'done',
  'error',
]
const SPEAK: VoiceStatus[] = ['idle', 'loading', 'buffering', 'playing', 'paused', 'blocked', 'done', 'error']

function Statuses() {
  return (
    <div style={{ display: 'grid', gap: '0.75rem' }}>
      {MIC.map((status) => (
        <div key={`mic-${status}`} data-testid={`mic-${status}`}>
          <MicButton
            transcribe={{ status, error: null, level, start: none, stop: none, cancel: none, toggle: none }}
            labels={{ mic: `Dictate (${status})` }}
          />
        </div>
      ))}
      {SPEAK.map((status) => (
        <div key={`speak-${status}`} data-testid={`speak-${status}`}>
          <SpeakButton text="Hello." speaker={{ status, error: null, speak: none, stop: none, unlock: none }} />
        </div>
      ))}
    </div>
  )
}

const meta = { title: 'UI/Every status', component: Statuses } satisfies Meta<typeof Statuses>
export default meta
type Story = StoryObj<typeof meta>

export const EveryStatus: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    for (const status of MIC) {
      const row = within(canvas.getByTestId(`mic-${status}`))
      await expect(row.getByRole('button')).toHaveAttribute('data-state', status)
    }
    for (const status of SPEAK) {
      const wrapper = canvas.getByTestId(`speak-${status}`).querySelector('.vk-speak')
      await expect(wrapper).toHaveAttribute('data-state', status)
    }
    // The words come from labels keyed by the same status.
    await expect(within(canvas.getByTestId('speak-blocked')).getByRole('button')).toHaveTextContent(
      defaultSpeakButtonLabels.unblock,
    )
  },
}
