import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { CapabilityReport } from './CapabilityReport'

const meta = {
  title: 'Diagnostics/CapabilityReport',
  component: CapabilityReport,
} satisfies Meta<typeof CapabilityReport>
export default meta
type Story = StoryObj<typeof meta>

/** Detected live in the browser that renders the story. */
export const ThisBrowser: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'What works in this browser' })).toBeVisible()
    await expect(canvas.getByRole('heading', { name: /^Reading aloud/ })).toHaveTextContent('Works')
    const recorder = canvas.getByText('Recording (MediaRecorder)').closest('div')
    await expect(recorder).toHaveAttribute('data-supported', 'true')
    const formats = canvas.getByText('Recording formats').nextElementSibling
    await expect(formats?.textContent).toMatch(/audio\//)
    const engine = canvas.getByText('Streaming playback engine').nextElementSibling
    await expect(engine?.textContent).toMatch(/^(mse|managed-mse|webaudio|blob)$/)
  },
}

/** A browser with no recording and no streaming playback, e.g. an old embedded WebView. */
export const NothingSupported: Story = {
  args: {
    capabilities: {
      secureContext: false,
      getUserMedia: false,
      mediaRecorder: false,
      recordingTypes: [],
      mediaSource: false,
      managedMediaSource: false,
      mediaSourceMpeg: false,
      audioElementMpeg: false,
      webAudio: false,
      audioWorklet: false,
      dictationMode: null,
      playbackEngine: null,
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getAllByText('Not available')).toHaveLength(2)
    await expect(canvas.getAllByText('No')).toHaveLength(9)
    await expect(canvas.getAllByText('None')).toHaveLength(3)
  },
}

/** The microphone is blocked for the site: dictation does not work here, and the report says what to do. */
export const MicrophoneBlocked: Story = {
  args: { microphonePermission: 'denied' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByTestId('microphone')).toHaveTextContent('Blocked for this site')
    await expect(canvas.getByRole('heading', { name: /^Dictation/ })).toHaveTextContent('Not available')
  },
}

/** Every string comes through `labels`. */
export const Translated: Story = {
  args: { labels: { title: 'Was in diesem Browser geht', works: 'Geht', yes: 'Ja', no: 'Nein' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Was in diesem Browser geht' })).toBeVisible()
    await expect(canvas.getAllByText('Geht').length).toBeGreaterThan(0)
    await expect(canvas.getAllByText('Ja').length).toBeGreaterThan(0)
  },
}
