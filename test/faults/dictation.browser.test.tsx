// The fault matrix's continuous-dictation row, for every provider: useDictation in each engine, through
// the proxy to the local speech server in fault mode. One segment of four is answered 503 (its first
// attempt only) and must be retried by itself and land in its place; the first segment is held so the
// others answer before it, and the text must still come out in order, growing only at its end.
import { act, renderHook, waitFor } from '@testing-library/react'
import {
  createDifyTranscriber,
  createLivepeerTransport,
  createOpenAITranscriber,
  createSamplesPcm,
  type SpeechTransport,
} from '@voicekit/core'
import { createFishTranscriber } from '@voicekit/core/fish'
import { useDictation, VoiceProvider } from '@voicekit/react'
import type { ReactNode } from 'react'
import { beforeAll, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import {
  firstSentences,
  type LongFixture,
  longFixture,
  orderedRecall,
} from '../../packages/core/src/test-support/dictation-fixture'

type Make = (options: { baseUrl: string; headers: () => Record<string, string>; timeoutMs: number }) => SpeechTransport
const providers: [string, Make][] = [
  ['dify', createDifyTranscriber],
  ['livepeer', createLivepeerTransport],
  ['fish', createFishTranscriber],
  ['openai', createOpenAITranscriber],
]

let fixture: LongFixture
beforeAll(async () => {
  fixture = await longFixture()
})

describe(`continuous dictation faults in ${server.browser}`, { timeout: 240_000 }, () => {
  for (const [name, make] of providers) {
    test(`${name}: a 503 on one segment is retried into its place; out-of-order answers stitched in order`, async () => {
      const faults: string[] = []
      let call = 0
      const transport = make({
        baseUrl: `${inject('voiceBaseUrl')}/${name}`,
        timeoutMs: 120_000,
        // Request 0 held 2 s (later segments answer first); request 1 answered 503 once.
        headers: (): Record<string, string> => {
          const fault = call === 0 ? 'delay=2000' : call === 1 ? 'status=503' : ''
          call++
          faults.push(fault)
          return fault ? { 'x-speech-fault': fault } : {}
        },
      })
      const part = firstSentences(fixture, 4)
      const wrapper = ({ children }: { children: ReactNode }) => (
        <VoiceProvider transport={transport}>{children}</VoiceProvider>
      )
      const texts: string[] = []
      const hook = renderHook(
        () => {
          const result = useDictation({
            concurrency: 4,
            retryDelayMs: 200,
            source: () => createSamplesPcm(part.samples, { speed: Infinity }),
          })
          texts.push(result.text)
          return result
        },
        { wrapper },
      )
      act(() => hook.result.current.start())
      await waitFor(() => expect(hook.result.current.segments).toHaveLength(4), { timeout: 60_000 })
      act(() => hook.result.current.stop())
      await waitFor(() => expect(['done', 'error']).toContain(hook.result.current.status), { timeout: 200_000 })
      const s = hook.result.current
      expect(s.status, s.error?.message).toBe('done')
      // The 503'd segment went twice and landed in its place (a proxy timeout on a loaded machine can
      // make another go twice too: also retryable, also retried).
      expect(s.segments[1]!.attempts).toBeGreaterThanOrEqual(2)
      expect(s.segments.every((x) => x.status === 'done')).toBe(true)
      expect(faults.filter((x) => x === 'status=503')).toHaveLength(1)
      expect(orderedRecall(part.words, s.text), s.text).toBeGreaterThanOrEqual(0.75)
      for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true)
      hook.unmount()
    })
  }
})
