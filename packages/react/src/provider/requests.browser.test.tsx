// The app's QueryClient sees every voice request: useIsMutating counts them while they run, and the
// MutationCache's global onError hears their failures. The Dify transport goes through @voicekit/proxy
// to the local speech server, with the fault of each request chosen by the test.
import { MutationCache, QueryClient, QueryClientProvider, useIsMutating } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { createDifyTransport, VoiceError } from '@voicekit/core'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { sleep, spyOnMicrophone, type TrackSpy } from '../../../../test/browser/microphone'
import { useSpeak } from '../speak'
import { useTranscribe } from '../transcribe'
import { useVoiceContext, VoiceProvider } from '.'

const fault = { next: '' }
const transport = createDifyTransport({
  baseUrl: `${inject('voiceBaseUrl')}/dify`,
  headers: (): Record<string, string> => (fault.next ? { 'x-speech-fault': fault.next } : {}),
})

function useVoice() {
  return {
    transcribe: useTranscribe({ retries: 0 }),
    speak: useSpeak({ cache: false }),
    transcribing: useIsMutating({ mutationKey: ['voicekit', 'transcribe'] }),
    speaking: useIsMutating({ mutationKey: ['voicekit', 'speak'] }),
    client: useVoiceContext().queryClient,
  }
}

let mic: TrackSpy
beforeEach(() => {
  mic = spyOnMicrophone()
})
afterEach(() => {
  mic.restore()
  fault.next = ''
})

describe(`voice requests on the app's QueryClient in ${server.browser}`, () => {
  test('useIsMutating sees a transcription and a speech request; the global onError sees their failures', async () => {
    const failures: VoiceError[] = []
    const client = new QueryClient({
      mutationCache: new MutationCache({ onError: (error) => void failures.push(error as VoiceError) }),
    })
    const { result, unmount } = renderHook(useVoice, {
      wrapper: ({ children }: { children: ReactNode }) => (
        <QueryClientProvider client={client}>
          <VoiceProvider transport={transport}>{children}</VoiceProvider>
        </QueryClientProvider>
      ),
    })
    expect(result.current.client).toBe(client)

    // A transcription held 1.5 s, then a 503: pending while held, then the failure, heard globally once.
    act(() => result.current.transcribe.start())
    await waitFor(() => expect(result.current.transcribe.status).toBe('recording'), { timeout: 10_000 })
    await sleep(1000)
    fault.next = 'delay=1500; status=503'
    act(() => result.current.transcribe.stop())
    await waitFor(() => expect(result.current.transcribing).toBe(1), { timeout: 5000, interval: 20 })
    expect(result.current.speaking).toBe(0)
    await waitFor(() => expect(result.current.transcribe.status).toBe('error'), { timeout: 10_000 })
    expect(result.current.transcribing).toBe(0)
    expect(failures).toHaveLength(1)
    expect(failures[0]).toBeInstanceOf(VoiceError)
    expect(failures[0]).toBe(result.current.transcribe.error)
    expect(failures[0]).toMatchObject({ code: 'provider_unavailable', status: 503 })

    // A speech request held 1.5 s: pending until its audio starts arriving, then done.
    fault.next = 'delay=1500'
    let spoken: Promise<VoiceError | undefined> = Promise.resolve(undefined)
    act(() => {
      spoken = result.current.speak.speak('Hello there.')
    })
    await waitFor(() => expect(result.current.speaking).toBe(1), { timeout: 5000, interval: 20 })
    expect(result.current.transcribing).toBe(0)
    await act(async () => expect(await spoken).toBeUndefined())
    expect(result.current.speaking).toBe(0)
    const speech = client.getMutationCache().findAll({ mutationKey: ['voicekit', 'speak'] })
    expect(speech.map((mutation) => mutation.state.status)).toEqual(['success'])
    expect(speech[0]!.state.variables).toMatchObject({ text: 'Hello there.' })

    // A refused speech request: the same global handler hears it.
    fault.next = 'status=401'
    await act(async () => expect((await result.current.speak.speak('Again.'))?.code).toBe('unauthorized'))
    expect(failures.map((failure) => failure.code)).toEqual(['provider_unavailable', 'unauthorized'])
    expect(result.current.speak.request).toMatchObject({ status: 'error', isPending: false })
    // The session's retry policy alone: each request ran once, react-query retried nothing.
    expect(
      client
        .getMutationCache()
        .getAll()
        .map((mutation) => mutation.state.failureCount),
    ).toEqual([1, 0, 1])
    unmount()
  })

  test("without an app QueryClient, the provider's own client runs the requests", async () => {
    // useIsMutating needs a QueryClientProvider, so here only the speech hook and the context.
    const { result, unmount } = renderHook(
      () => ({ speak: useSpeak({ cache: false }), client: useVoiceContext().queryClient }),
      {
        wrapper: ({ children }: { children: ReactNode }) => (
          <VoiceProvider transport={transport}>{children}</VoiceProvider>
        ),
      },
    )
    fault.next = 'status=401'
    await act(async () => expect((await result.current.speak.speak('Hi.'))?.code).toBe('unauthorized'))
    const mutations = result.current.client.getMutationCache().getAll()
    expect(mutations).toHaveLength(1)
    expect(mutations[0]!.state).toMatchObject({ status: 'error', error: result.current.speak.request.error })
    unmount()
  })
})
