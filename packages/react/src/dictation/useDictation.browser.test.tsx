// A dictation's segment uploads are requests of the app's QueryClient, like every other voice request:
// useIsMutating counts them while they run, the MutationCache keeps them, its global onError hears a
// segment that failed. A real dictation in the browser, fed by samples instead of the microphone.
import { MutationCache, QueryClient, QueryClientProvider, useIsMutating } from '@tanstack/react-query'
import { act, render, renderHook, waitFor } from '@testing-library/react'
import { createSamplesPcm, type SpeechTransport, type Transcript, VoiceError } from '@voicekit/core'
import { type ReactNode, StrictMode, useEffect } from 'react'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { server } from 'vitest/browser'
import { expectReleased, sleep, spyOnMicrophone, type TrackSpy } from '../../../../test/browser/microphone'
import { speechBursts } from '../../../core/src/test-support/speech-bursts'
import { VoiceProvider } from '../provider'
import { useDictation } from './useDictation'

test(`${server.browser}: the app's QueryClient sees each segment upload, and hears the one that failed`, async () => {
  let release!: () => void
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  let calls = 0
  const transport: SpeechTransport = {
    provider: 'test',
    input: { mimeTypes: ['audio/wav'], maxBytes: 1e7, minSeconds: 1 },
    async transcribe(): Promise<Transcript> {
      calls++
      if (calls === 1) {
        await held
        return { text: 'first', segments: [], provider: 'test', raw: null }
      }
      throw new VoiceError('invalid_request', 'refused')
    },
  }
  const failures: unknown[] = []
  const client = new QueryClient({
    mutationCache: new MutationCache({ onError: (error) => void failures.push(error) }),
  })
  const { result, unmount } = renderHook(
    () => ({
      dictation: useDictation({
        retries: 0,
        concurrency: 1,
        source: () => createSamplesPcm(speechBursts(2), { speed: 10, chunkMs: 20 }),
      }),
      running: useIsMutating({ mutationKey: ['voicekit'] }),
    }),
    {
      wrapper: ({ children }: { children: ReactNode }) => (
        <QueryClientProvider client={client}>
          <VoiceProvider transport={transport}>{children}</VoiceProvider>
        </QueryClientProvider>
      ),
    },
  )
  act(() => result.current.dictation.start())
  // The first segment's upload is held by the transport: a mutation in flight.
  await waitFor(() => expect(result.current.running).toBe(1), { timeout: 15_000, interval: 20 })
  expect(calls).toBe(1)
  release()
  await waitFor(() => expect(result.current.dictation.status).toBe('error'), { timeout: 15_000 })
  expect(result.current.running).toBe(0)
  const uploads = client.getMutationCache().findAll({ mutationKey: ['voicekit'] })
  expect(uploads.map((mutation) => mutation.state.status)).toEqual(['success', 'error'])
  expect(failures).toHaveLength(1)
  expect(failures[0]).toBe(result.current.dictation.error)
  expect(failures[0]).toMatchObject({ code: 'invalid_request' })
  unmount()
}, 30_000)

const quiet: SpeechTransport = {
  provider: 'test',
  input: { mimeTypes: ['audio/wav'], maxBytes: 1e7, minSeconds: 1 },
  transcribe: async () => ({ text: '', segments: [], provider: 'test', raw: null }),
}
const strict = ({ children }: { children: ReactNode }) => (
  <StrictMode>
    <VoiceProvider transport={quiet}>{children}</VoiceProvider>
  </StrictMode>
)

function AutoStart() {
  const { start, status } = useDictation()
  useEffect(() => start(), [start])
  return <>{status}</>
}

describe(`useDictation under StrictMode in ${server.browser}`, () => {
  let mic: TrackSpy
  beforeEach(() => {
    mic = spyOnMicrophone()
  })
  afterEach(() => mic.restore())
  test('the double mount opens no microphone; start opens it once; unmount releases it', async () => {
    const hook = renderHook(() => useDictation(), { wrapper: strict })
    await sleep(200)
    expect(mic.calls).toBe(0)
    act(() => hook.result.current.start())
    await waitFor(() => expect(hook.result.current.status).toBe('recording'), { timeout: 10_000 })
    expect(mic.live()).toHaveLength(1)
    hook.unmount()
    expectReleased(mic, 1)
  })

  test('a component that dictates from mount leaves one microphone open, and none after unmount', async () => {
    const view = render(<AutoStart />, { wrapper: strict })
    await waitFor(() => expect(view.container.textContent).toBe('recording'), { timeout: 10_000 })
    await sleep(300)
    expect(mic.live()).toHaveLength(1)
    view.unmount()
    expect(mic.live()).toHaveLength(0)
  })
})
