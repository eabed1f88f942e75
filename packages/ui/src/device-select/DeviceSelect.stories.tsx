import type { Meta, StoryObj } from '@storybook/react-vite'
import { useAudioDevices } from '@voicekit/react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { DeviceSelect } from './DeviceSelect'

const meta = {
  title: 'UI/DeviceSelect',
  component: DeviceSelect,
  args: { kind: 'microphone', storageKey: 'voicekit.devices.story' },
  beforeEach: () => localStorage.removeItem('voicekit.devices.story'),
} satisfies Meta<typeof DeviceSelect>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }

/** The microphones; the choice is remembered in localStorage. */
export const Microphone: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const select = canvas.getByRole('combobox', { name: 'Microphone' })
    await expect(within(select).getByRole('option', { name: 'System default' })).toBeInTheDocument()
    // Names need permission: the story's browser grants it, so the button reveals them.
    const show = canvas.queryByRole('button', { name: 'Show device names' })
    if (show) await userEvent.click(show)
    await waitFor(() => expect(within(select).getAllByRole('option').length).toBeGreaterThan(1), long)
    const [, first] = within(select).getAllByRole('option') as HTMLOptionElement[]
    await userEvent.selectOptions(select, first!)
    await expect(JSON.parse(localStorage.getItem('voicekit.devices.story')!).microphone).toBe(first!.value)
  },
}

/** The speaker, where the browser can choose it (Chromium); elsewhere it says so in words. */
export const Speaker: Story = {
  args: { kind: 'speaker' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(within(canvasElement).getByRole('combobox', { name: 'Speaker' })).toBeVisible())
  },
}

function Unsupported() {
  const devices = useAudioDevices({ storageKey: 'voicekit.devices.story' })
  return <DeviceSelect kind="speaker" devices={{ ...devices, sink: { element: false, context: false } }} />
}

/** Safari, and Firefox for Web Audio: the speaker cannot be chosen, said plainly. */
export const SpeakerNotSupported: Story = {
  render: () => <Unsupported />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText("This browser always plays through the system's default speaker.")).toBeVisible()
    await expect(canvas.queryByRole('combobox')).toBeNull()
  },
}

function Unplugged() {
  const devices = useAudioDevices({ storageKey: 'voicekit.devices.story' })
  return (
    <DeviceSelect
      kind="microphone"
      devices={{ ...devices, chosen: { microphone: 'unplugged', speaker: '' }, microphoneId: '' }}
    />
  )
}

/** The chosen microphone was unplugged: the default records, and the picker says so. */
export const ChosenUnplugged: Story = {
  render: () => <Unplugged />,
  play: async ({ canvasElement }) => {
    await expect(
      within(canvasElement).getByText('The chosen device is not connected: using the system default.'),
    ).toBeVisible()
  },
}
