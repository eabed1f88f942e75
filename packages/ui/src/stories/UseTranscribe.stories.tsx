import type { Meta, StoryObj } from '@storybook/react-vite'
import { useAudioLevel, useTranscribe } from '@voicekit/react'
import { useRef } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { fakeVoice, sleep } from './voice'

/**
 * `useTranscribe()` with no voicekit component: a headless recorder with your own markup.
 * The level goes to a CSS custom property through `useAudioLevel`, never through React state.
 */
function HeadlessDictation() {
  const t = useTranscribe({ timestamps: 'segment' })
  const bar = useRef<HTMLDivElement>(null)
  useAudioLevel(t.level, bar)
  const recording = t.status === 'recording'
  return (
    <div style={{ display: 'grid', gap: '0.5rem', justifyItems: 'start', fontFamily: 'system-ui' }}>
      <div style={{ display: 'flex', gap: '0.5rem' }}>
        <button type="button" onClick={t.toggle} aria-pressed={recording}>
          {recording ? 'Stop' : 'Record'}
        </button>
        <button type="button" onClick={t.cancel}>
          Cancel
        </button>
        <button type="button" onClick={t.retry} disabled={t.status !== 'error'}>
          Retry
        </button>
      </div>
      <div
        ref={bar}
        aria-hidden="true"
        style={{ width: 'calc(var(--vk-level, 0) * 12rem)', height: 6, background: 'var(--vk-accent)' }}
      />
      <p role="status" style={{ margin: 0 }}>
        Status: <strong>{t.status}</strong> · {Math.round(t.durationMs / 1000)} s{t.error && ` · ${t.error.code}`}
      </p>
      <p data-testid="text" style={{ margin: 0 }}>
        {t.transcript?.text}
      </p>
    </div>
  )
}

const meta = {
  title: 'Hooks/useTranscribe',
  component: HeadlessDictation,
  ...fakeVoice,
} satisfies Meta<typeof HeadlessDictation>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }

/** Record, stop, transcript. */
export const Headless: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Record' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('recording'), long)
    await sleep(800)
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }))
    await waitFor(() => expect(canvas.getByTestId('text')).toHaveTextContent('please turn on the kitchen lights'), long)
    await expect(canvas.getByRole('status')).toHaveTextContent('done')
  },
}

/** A failed upload keeps the recording: `retry()` sends the same bytes again. */
export const RetryAfterError: Story = {
  parameters: { fake: { transcribeErrors: ['timeout'] } },
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Record' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('recording'), long)
    await sleep(800)
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent(/error · .* · timeout/), long)
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(canvas.getByTestId('text')).toHaveTextContent('kitchen lights'), long)
    const sent = (loaded.transport as { calls: { transcribe: Blob[] } }).calls.transcribe
    await expect(sent[1]).toBe(sent[0])
  },
}
