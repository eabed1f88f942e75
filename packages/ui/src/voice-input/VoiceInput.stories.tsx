import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { denyMicrophone, fakeVoice, hangMicrophone, sleep, transportOf } from '../stories/voice'
import { VoiceInput } from './VoiceInput'

const meta = {
  title: 'UI/VoiceInput',
  component: VoiceInput,
  ...fakeVoice,
  args: { 'aria-label': 'Message', placeholder: 'Type or dictate…', options: { maxDurationMs: 60_000 } },
  parameters: { fake: { latencyMs: 300 } },
} satisfies Meta<typeof VoiceInput>
export default meta
type Story = StoryObj<typeof meta>

const long = { timeout: 15_000 }
const parts = (canvasElement: HTMLElement) => {
  const canvas = within(canvasElement)
  return {
    canvas,
    field: canvas.getByRole<HTMLInputElement>('textbox', { name: 'Message' }),
    mic: canvas.getByRole('button', { name: 'Dictate' }),
    status: canvas.getByRole('status'),
  }
}
const until = (mic: HTMLElement, state: string) => waitFor(() => expect(mic).toHaveAttribute('data-state', state), long)

/** Idle: a text field and a microphone. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const { mic } = parts(canvasElement)
    await expect(mic).toHaveAttribute('aria-pressed', 'false')
    await expect(mic).toHaveAttribute('data-state', 'idle')
  },
}

/**
 * Click, speak, click: the transcript lands at the caret (spaced from its neighbours) as a
 * native edit, so the browser's undo takes it back.
 */
export const Dictate: Story = {
  args: { defaultValue: 'Hello world' },
  play: async ({ canvasElement }) => {
    const { field, mic, status } = parts(canvasElement)
    field.focus()
    field.setSelectionRange(5, 5)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await expect(mic).toHaveAttribute('aria-pressed', 'true')
    await sleep(1200)
    await userEvent.click(mic)
    await waitFor(() => expect(field).toHaveValue('Hello please turn on the kitchen lights world'), long)
    await waitFor(() => expect(status).toHaveTextContent('Transcript inserted.'))
    await expect(field).toHaveFocus()
    await expect(field.selectionStart).toBe('Hello please turn on the kitchen lights'.length)
    document.execCommand('undo')
    await expect(field).toHaveValue('Hello world')
  },
}

/** Requesting: waiting for the browser's permission prompt. */
export const Requesting: Story = {
  beforeEach: hangMicrophone,
  play: async ({ canvasElement }) => {
    const { canvas, mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'requesting')
    await expect(status).toHaveTextContent('Waiting for the microphone…')
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible()
  },
}

/** Recording: the level ring moves, elapsed and remaining time (of `maxDurationMs`) count. */
export const Recording: Story = {
  play: async ({ canvasElement }) => {
    const { canvas, mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await expect(status).toHaveTextContent('Recording. Press again to stop, Escape to cancel.')
    await waitFor(() => expect(canvas.getByText(/0:01 · 0:59 left/)).toBeVisible(), long)
    const ring = mic.querySelector<HTMLElement>('.vk-level')!
    await waitFor(() => expect(Number(ring.style.getPropertyValue('--vk-level'))).toBeGreaterThan(0.1), long)
  },
}

/** Transcribing: the provider takes its time. */
export const Transcribing: Story = {
  parameters: { fake: { latencyMs: 60_000 } },
  play: async ({ canvasElement }) => {
    const { canvas, mic, status } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await sleep(800)
    await userEvent.click(mic)
    await until(mic, 'transcribing')
    await expect(status).toHaveTextContent('Transcribing…')
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible()
  },
}

/** An error the person can retry: Retry resends the very same recording. */
export const ErrorThenRetry: Story = {
  parameters: { fake: { transcribeErrors: ['provider_unavailable'] } },
  play: async ({ canvasElement, loaded }) => {
    const { canvas, field, mic } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await sleep(800)
    await userEvent.click(mic)
    await waitFor(() => expect(canvas.getByRole('alert')).toHaveTextContent('Transcription failed.'), long)
    await expect(mic).toHaveAttribute('data-state', 'error')
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(field).toHaveValue('please turn on the kitchen lights'), long)
    const { transcribe } = transportOf(loaded).calls
    await expect(transcribe).toHaveLength(2)
    await expect(transcribe[1]).toBe(transcribe[0])
  },
}

/** Error: the speech service cannot be reached. */
export const ErrorState: Story = {
  name: 'Error',
  parameters: { fake: { transcribeErrors: ['network'] } },
  play: async ({ canvasElement }) => {
    const { canvas, mic } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await sleep(600)
    await userEvent.click(mic)
    await waitFor(() => expect(canvas.getByRole('alert')).toHaveTextContent('could not be reached'), long)
    await expect(canvas.getByRole('button', { name: 'Retry' })).toBeVisible()
  },
}

/** Blocked: microphone permission denied. */
export const Blocked: Story = {
  beforeEach: denyMicrophone,
  play: async ({ canvasElement }) => {
    const { canvas, mic } = parts(canvasElement)
    await userEvent.click(mic)
    await waitFor(() => expect(canvas.getByRole('alert')).toHaveTextContent('Microphone access is blocked'), long)
    await expect(mic).toHaveAttribute('data-state', 'error')
    await expect(mic).toHaveAttribute('aria-pressed', 'false')
  },
}

/**
 * Keyboard only: Tab to the field and type, Tab to the microphone; Enter starts, Escape
 * cancels (nothing inserted); Space starts, Space stops, and the transcript is inserted.
 */
export const KeyboardOnly: Story = {
  play: async ({ canvasElement }) => {
    const { field, mic, status } = parts(canvasElement)
    await userEvent.tab()
    await expect(field).toHaveFocus()
    await userEvent.keyboard('Note:')
    await userEvent.tab()
    await expect(mic).toHaveFocus()
    await userEvent.keyboard('{Enter}')
    await until(mic, 'recording')
    await userEvent.keyboard('{Escape}')
    await until(mic, 'idle')
    await expect(status).toHaveTextContent('Recording cancelled.')
    await expect(mic).toHaveFocus()
    await sleep(300)
    await expect(field).toHaveValue('Note:')
    await userEvent.keyboard(' ')
    await until(mic, 'recording')
    await sleep(1000)
    await userEvent.keyboard(' ')
    await waitFor(() => expect(field).toHaveValue('Note: please turn on the kitchen lights'), long)
  },
}

/** Hold to talk: recording lasts while Space (or the pointer) is held down. */
export const HoldToTalk: Story = {
  args: { mode: 'hold' },
  play: async ({ canvasElement }) => {
    const { mic, field, status } = parts(canvasElement)
    mic.focus()
    // One user-event session, so that it remembers Space is held down.
    const user = userEvent.setup()
    await user.keyboard('[Space>]')
    await until(mic, 'recording')
    await expect(status).toHaveTextContent('Release to stop')
    await sleep(1000)
    await user.keyboard('[/Space]')
    await waitFor(() => expect(field).toHaveValue('please turn on the kitchen lights'), long)
  },
}

function ControlledInput() {
  const [value, setValue] = useState('Reminder:')
  return (
    <div>
      <VoiceInput aria-label="Message" value={value} onChange={(event) => setValue(event.target.value)} />
      <p>
        State: <span data-testid="state">{value}</span>
      </p>
    </div>
  )
}

/** Controlled: `value` and `onChange`; dictation goes through onChange like typing. */
export const Controlled: Story = {
  render: () => <ControlledInput />,
  play: async ({ canvasElement }) => {
    const { canvas, mic } = parts(canvasElement)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await sleep(800)
    await userEvent.click(mic)
    await waitFor(
      () => expect(canvas.getByTestId('state')).toHaveTextContent('Reminder: please turn on the kitchen lights'),
      long,
    )
  },
}

/** Multiline: a textarea. */
export const Multiline: Story = {
  args: { multiline: true, rows: 4, defaultValue: 'First line\n' },
}

/** Every string comes through `labels`. */
export const Translated: Story = {
  args: {
    'aria-label': 'Nachricht',
    labels: {
      mic: 'Diktieren',
      cancel: 'Abbrechen',
      recording: 'Aufnahme läuft.',
      time: '{elapsed} · noch {remaining}',
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const mic = canvas.getByRole('button', { name: 'Diktieren' })
    await userEvent.click(mic)
    await until(mic, 'recording')
    await expect(canvas.getByRole('status')).toHaveTextContent('Aufnahme läuft.')
    await expect(canvas.getByRole('button', { name: 'Abbrechen' })).toBeVisible()
    await waitFor(() => expect(canvas.getByText(/noch 0:59/)).toBeVisible(), long)
  },
}

/**
 * Continuous: the text grows in the field while the person speaks (segments are sent at each pause),
 * the part still being transcribed is shown under it, and one undo takes the whole dictation back.
 */
export const Continuous: Story = {
  args: { defaultValue: 'Note:', continuous: true },
  play: async ({ canvasElement, loaded }) => {
    const { field, mic, status } = parts(canvasElement)
    field.focus()
    field.setSelectionRange(5, 5)
    await userEvent.click(mic)
    await until(mic, 'recording')
    await expect(status).toHaveTextContent('Recording. Press again to stop, Escape to cancel.')
    await sleep(2500)
    await userEvent.click(mic)
    await waitFor(() => expect(field.value).toMatch(/^Note: please turn on the kitchen lights/), long)
    await waitFor(() => expect(status).toHaveTextContent('Transcript inserted.'), long)
    await expect(transportOf(loaded).calls.transcribe.length).toBeGreaterThan(0)
    for (const blob of transportOf(loaded).calls.transcribe) await expect(blob.type).toBe('audio/wav')
    document.execCommand('undo')
    await expect(field).toHaveValue('Note:')
  },
}

/**
 * Real time (a transport with `openTranscriptionStream`): the words being heard show under the field as
 * they are spoken, named "Hearing:" and in italics, announced politely; the field gets them once final,
 * and the caret stays where the person put it.
 */
export const RealTime: Story = {
  args: { defaultValue: 'Note:', continuous: true },
  parameters: { fake: { latencyMs: 300, streaming: { msPerWord: 300 } } },
  play: async ({ canvasElement, loaded }) => {
    const { canvas, field, mic } = parts(canvasElement)
    field.focus()
    field.setSelectionRange(5, 5)
    await userEvent.click(mic)
    await until(mic, 'recording')
    const hearing = await canvas.findByText('Hearing:', {}, long)
    const line = hearing.closest('p')!
    await expect(line).toHaveAttribute('aria-live', 'polite')
    await waitFor(() => expect(line).toHaveTextContent(/^Hearing: please turn/), long)
    await sleep(1500)
    await userEvent.click(mic)
    await waitFor(() => expect(field.value).toMatch(/^Note: please turn on the/), long)
    await waitFor(() => expect(canvas.queryByText('Hearing:')).toBeNull(), long)
    await expect(transportOf(loaded).calls.commits).toBeGreaterThan(0)
    await expect(transportOf(loaded).calls.transcribe).toHaveLength(0)
  },
}
