// useDictation renders per segment event, never per audio frame.
import { act, renderHook, waitFor } from '@testing-library/react'
import { createSamplesPcm, type SpeechTransport, type Transcript } from '@voicekit/core'
import type { ReactNode } from 'react'
import { expect, test } from 'vitest'
import { speechBursts } from '../../../core/src/test-support/speech-bursts'
import { VoiceProvider } from '../provider'
import { useDictation } from './useDictation'

test('renders a bounded number of times per segment, far fewer than the audio chunks delivered', async () => {
  let answered = 0
  const transport: SpeechTransport = {
    provider: 'test',
    input: { mimeTypes: ['audio/wav'], maxBytes: 1e7, minSeconds: 1 },
    transcribe: async (): Promise<Transcript> => {
      answered++
      return { text: `word${answered}`, segments: [], provider: 'test', raw: null }
    },
  }
  const audio = speechBursts(6)
  let chunks = 0
  const wrapper = ({ children }: { children: ReactNode }) => (
    <VoiceProvider transport={transport}>{children}</VoiceProvider>
  )
  let renders = 0
  const hook = renderHook(
    () => {
      renders++
      return useDictation({
        source: () => {
          const inner = createSamplesPcm(audio, { speed: 20, chunkMs: 20 })
          return {
            start: (sink) =>
              inner.start({
                samples: (c) => {
                  chunks++
                  sink.samples(c)
                },
                ended: sink.ended,
              }),
            stop: inner.stop,
            cancel: inner.cancel,
          }
        },
      })
    },
    { wrapper },
  )
  const before = renders
  act(() => hook.result.current.start())
  await waitFor(() => expect(hook.result.current.segments).toHaveLength(6), { timeout: 50_000 })
  await waitFor(() => expect(hook.result.current.text.split(' ')).toHaveLength(6))
  await act(() => hook.result.current.dictation.stop())
  expect(hook.result.current.status).toBe('done')
  const during = renders - before
  // Per segment: found, sent, answered (3); plus the status changes (requesting, recording, stopping,
  // done) and durationMs once a second. The audio came in 20 ms chunks: hundreds of them.
  expect(chunks).toBeGreaterThan(500)
  expect(during).toBeLessThanOrEqual(6 * 3 + 6)
  hook.unmount()
}, 60_000)
