// useDictation renders per segment event, never per audio frame. Its once-a-second duration clock renders
// too, and how many seconds a run takes depends on the machine: those renders are told apart by what they
// change (only durationMs, a second or more on), not counted against the bound.
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
  /** Per render: what it shows apart from the duration clock, and the clock. */
  const renders: { shown: string; durationMs: number }[] = []
  const hook = renderHook(
    () => {
      const result = useDictation({
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
      const { durationMs, dictation, level, ...shown } = result
      renders.push({ shown: JSON.stringify(shown), durationMs })
      return result
    },
    { wrapper },
  )
  const before = renders.length
  act(() => hook.result.current.start())
  await waitFor(() => expect(hook.result.current.segments).toHaveLength(6), { timeout: 50_000 })
  await waitFor(() => expect(hook.result.current.text.split(' ')).toHaveLength(6))
  await act(() => hook.result.current.dictation.stop())
  expect(hook.result.current.status).toBe('done')
  const during = renders.slice(before - 1)
  const clockOnly = during.filter((r, i) => i > 0 && r.shown === during[i - 1]!.shown)
  // Each of those is the clock's tick: a second or more after the previous render's duration.
  for (const [i, r] of during.entries()) {
    if (i > 0 && r.shown === during[i - 1]!.shown)
      expect(r.durationMs - during[i - 1]!.durationMs).toBeGreaterThanOrEqual(900)
  }
  // Per segment: found, sent, answered (3); plus the status changes (requesting, recording, stopping,
  // done). The audio came in 20 ms chunks: hundreds of them.
  expect(chunks).toBeGreaterThan(500)
  expect(during.length - 1 - clockOnly.length).toBeLessThanOrEqual(6 * 3 + 6)
  hook.unmount()
}, 60_000)
