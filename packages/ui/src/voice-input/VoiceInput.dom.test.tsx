// VoiceInput in continuous mode, over a real dictation fed by recorded-like samples (no microphone) and
// a hand-made transport that answers each segment and records what it was asked.
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/react'
import { createSamplesPcm, type SpeechTransport, type TranscribeOptions, type Transcript } from '@voicekit/core'
import { VoiceProvider } from '@voicekit/react'
import { afterEach, expect, test, vi } from 'vitest'
import { speechBursts } from '../../../core/src/test-support/speech-bursts'
import { defaultVoiceInputLabels, VoiceInput, type VoiceInputProps } from './VoiceInput'

afterEach(cleanup)

function scripted() {
  const asked: (TranscribeOptions | undefined)[] = []
  const transport: SpeechTransport = {
    provider: 'test',
    input: { mimeTypes: ['audio/wav'], maxBytes: 1e7, minSeconds: 1 },
    async transcribe(_audio, options): Promise<Transcript> {
      asked.push(options)
      return { text: `word${asked.length}`, segments: [], provider: 'test', raw: null }
    },
  }
  return { transport, asked }
}

/** Two bursts of speech played 20 times faster than real time; the dictation stops when they end. */
const source = () => createSamplesPcm(speechBursts(2), { speed: 20, chunkMs: 20 })

function dictate(props: VoiceInputProps, transport: SpeechTransport) {
  const view = render(
    <VoiceProvider transport={transport}>
      <VoiceInput aria-label="Note" {...props} />
    </VoiceProvider>,
  )
  const field = view.getByRole('textbox', { name: 'Note' }) as HTMLInputElement
  const root = field.closest('.vk-voice-input') as HTMLElement
  const status = view.getByRole('status')
  // The announcement, not data-state: these tests must not depend on the status words they check elsewhere.
  const finished = () =>
    waitFor(() => expect(status.textContent).toBe(defaultVoiceInputLabels.done), { timeout: 20_000 })
  return { view, field, root, finished, mic: view.getByRole('button', { name: 'Dictate' }) }
}

test('insert={false}: the transcript still reaches onTranscript, and the field is left alone', async () => {
  const { transport } = scripted()
  const onTranscript = vi.fn()
  const { field, finished, mic } = dictate({ continuous: { source }, insert: false, onTranscript }, transport)
  act(() => fireEvent.click(mic))
  await finished()
  await waitFor(() => expect(onTranscript).toHaveBeenCalledTimes(1))
  expect(onTranscript.mock.calls[0]![0]).toMatchObject({ text: 'word1 word2' })
  expect(field.value).toBe('')
}, 30_000)

test("continuous: options.language and the other shared options reach the dictation's requests", async () => {
  const { transport, asked } = scripted()
  const { finished, mic } = dictate(
    { continuous: { source }, options: { language: 'de', timestamps: 'segment', retries: 0 } },
    transport,
  )
  act(() => fireEvent.click(mic))
  await finished()
  expect(asked).toHaveLength(2)
  for (const options of asked) expect(options).toMatchObject({ language: 'de', timestamps: 'segment' })
}, 30_000)

test('continuous: options.onTranscript is called too, after the text was inserted', async () => {
  const { transport } = scripted()
  const seen: string[] = []
  let field!: HTMLInputElement
  const optionsOnTranscript = vi.fn((transcript: Transcript) => void seen.push(`${transcript.text}|${field.value}`))
  const onTranscript = vi.fn()
  const mounted = dictate(
    { continuous: { source }, onTranscript, options: { onTranscript: optionsOnTranscript } },
    transport,
  )
  field = mounted.field
  act(() => fireEvent.click(mounted.mic))
  await mounted.finished()
  await waitFor(() => expect(optionsOnTranscript).toHaveBeenCalledTimes(1))
  expect(onTranscript).toHaveBeenCalledTimes(1)
  expect(seen).toEqual(['word1 word2|word1 word2'])
}, 30_000)

test("data-state is the dictation's own status word: listening while it waits for speech", async () => {
  const { transport } = scripted()
  const states: string[] = []
  const { root, mic, finished } = dictate({ continuous: { source, autoStart: true } }, transport)
  const seen = new MutationObserver(() => {
    const state = root.dataset.state!
    if (states.at(-1) !== state) states.push(state)
  })
  seen.observe(root, { attributes: true, attributeFilter: ['data-state'] })
  act(() => fireEvent.click(mic))
  await finished()
  seen.disconnect()
  expect(states.slice(0, 3)).toEqual(['requesting', 'listening', 'recording'])
  expect(states.at(-1)).toBe('done')
}, 30_000)
