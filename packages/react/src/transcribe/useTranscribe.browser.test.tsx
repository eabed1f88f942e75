// useTranscribe, useRecorder and useAudioLevel in a real engine with its fake microphone,
// uploading through @voicekit/proxy to the local speech server (pocketsphinx).

import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, waitFor } from '@testing-library/react'
import {
  createDifyTransport,
  type DifyTransportOptions,
  type SpeechTransport,
  type TranscriptionStatus,
  type VoiceError,
} from '@voicekit/core'
import { type ReactNode, StrictMode, useEffect, useRef } from 'react'
import { afterEach, beforeEach, describe, expect, inject, test, vi } from 'vitest'
import { server } from 'vitest/browser'
import {
  expectFixtureSpeech,
  expectReleased,
  failMicrophone,
  sleep,
  spyOnMicrophone,
  type TrackSpy,
} from '../../../../test/browser/microphone'
import { useAudioLevel } from '../level'
import { VoiceProvider } from '../provider'
import { useRecorder } from '../recorder'
import { type UseTranscribeOptions, useTranscribe } from './useTranscribe'

const dify = (options: Partial<DifyTransportOptions> = {}) =>
  createDifyTransport({ baseUrl: `${inject('voiceBaseUrl')}/dify`, timeoutMs: 60_000, ...options })

/** Wraps a transport's transcribe to keep the bytes and signal of every attempt. */
function recordAttempts(transport: SpeechTransport) {
  const attempts: { bytes: Uint8Array; type: string; name: string; signal?: AbortSignal; outcome?: unknown }[] = []
  const transcribe = transport.transcribe!.bind(transport)
  const wrapped: SpeechTransport = {
    ...transport,
    async transcribe(audio, options) {
      const attempt = {
        bytes: new Uint8Array(await audio.arrayBuffer()),
        type: audio.type,
        name: (audio as File).name,
        signal: options?.signal,
        outcome: undefined as unknown,
      }
      attempts.push(attempt)
      try {
        const transcript = await transcribe(audio, options)
        attempt.outcome = 'ok'
        return transcript
      } catch (error) {
        attempt.outcome = (error as VoiceError).code
        throw error
      }
    },
  }
  return { transport: wrapped, attempts }
}

let mic: TrackSpy
beforeEach(() => {
  mic = spyOnMicrophone()
})
afterEach(() => {
  mic.restore()
})

function setup(options: UseTranscribeOptions = {}, transport: SpeechTransport = dify(), strict = false) {
  const statuses: TranscriptionStatus[] = []
  const wrapper = ({ children }: { children: ReactNode }) => {
    const tree = <VoiceProvider transport={transport}>{children}</VoiceProvider>
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }
  const hook = renderHook(
    () => {
      const result = useTranscribe(options)
      if (statuses.at(-1) !== result.status) statuses.push(result.status)
      return result
    },
    { wrapper },
  )
  return { ...hook, statuses }
}

const status = (hook: { result: { current: { status: TranscriptionStatus } } }) => hook.result.current.status

describe(`useTranscribe in ${server.browser}`, () => {
  test('fixture speech → transcript with the expected words, through the proxy and pocketsphinx', async () => {
    const onTranscript = vi.fn()
    const onError = vi.fn()
    const hook = setup({ onTranscript, onError })
    act(() => hook.result.current.start())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    await sleep(4000)
    act(() => hook.result.current.stop())
    await waitFor(() => expect(status(hook)).toBe('done'), { timeout: 45_000 })
    const { transcript, recording, error } = hook.result.current
    expectFixtureSpeech(transcript?.text)
    expect(transcript?.provider).toBe('dify')
    expect(error).toBeNull()
    expect(recording?.blob.size).toBeGreaterThan(5000)
    expect(onTranscript).toHaveBeenCalledTimes(1)
    expect(onTranscript).toHaveBeenCalledWith(transcript)
    expect(onError).not.toHaveBeenCalled()
    expect(hook.statuses).toEqual(['idle', 'requesting', 'recording', 'stopping', 'transcribing', 'done'])
    expectReleased(mic)
    hook.unmount()
  })

  test('a provider 5xx is retried only so far, then retry() resends the same bytes and succeeds', async () => {
    let requests = 0
    const base = dify({
      // The first three requests (the attempt and its two automatic retries) get a 503.
      headers: (): Record<string, string> => (++requests <= 3 ? { 'x-speech-fault': 'status=503' } : {}),
    })
    const { transport, attempts } = recordAttempts(base)
    const onError = vi.fn()
    const hook = setup({ onError, retries: 2, retryDelayMs: 100 }, transport)
    act(() => hook.result.current.start())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    await sleep(3000)
    act(() => hook.result.current.stop())
    await waitFor(() => expect(status(hook)).toBe('error'), { timeout: 45_000 })
    expect(hook.result.current.error).toMatchObject({ code: 'provider_unavailable', status: 503, retryable: true })
    expect(attempts.map((attempt) => attempt.outcome)).toEqual([
      'provider_unavailable',
      'provider_unavailable',
      'provider_unavailable',
    ])
    expect(onError).toHaveBeenCalledTimes(1)
    const kept = hook.result.current.recording
    expect(kept).not.toBeNull()

    act(() => hook.result.current.retry())
    await waitFor(() => expect(status(hook)).toBe('done'), { timeout: 45_000 })
    expect(hook.result.current.recording).toBe(kept)
    expect(attempts).toHaveLength(4)
    expect(attempts[3]!.outcome).toBe('ok')
    for (const attempt of attempts.slice(1)) {
      expect(attempt.type).toBe(attempts[0]!.type)
      expect(attempt.name).toBe(attempts[0]!.name)
      expect(attempt.bytes).toEqual(attempts[0]!.bytes)
    }
    expect(attempts[0]!.bytes.length).toBeGreaterThan(5000)
    expectFixtureSpeech(hook.result.current.transcript?.text)
    expect(mic.calls).toBe(1) // nothing was recorded again
    hook.unmount()
  })

  test('cancel aborts an upload in flight: no error shown, the recording kept for retry()', async () => {
    let requests = 0
    const base = dify({
      headers: (): Record<string, string> => (++requests === 1 ? { 'x-speech-fault': 'delay=20000' } : {}),
    })
    const { transport, attempts } = recordAttempts(base)
    const onError = vi.fn()
    const hook = setup({ onError }, transport)
    act(() => hook.result.current.start())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    await sleep(2500)
    act(() => hook.result.current.stop())
    await waitFor(() => expect(attempts).toHaveLength(1), { timeout: 20_000 })
    expect(status(hook)).toBe('transcribing')
    act(() => hook.result.current.cancel())
    expect(attempts[0]!.signal?.aborted).toBe(true)
    await waitFor(() => expect(status(hook)).toBe('idle'))
    await waitFor(() => expect(attempts[0]!.outcome).toBe('aborted'), { timeout: 10_000 })
    expect(hook.result.current.error).toBeNull()
    expect(status(hook)).toBe('idle')
    expect(onError).not.toHaveBeenCalled()
    expect(hook.result.current.recording).not.toBeNull()

    act(() => hook.result.current.retry())
    await waitFor(() => expect(status(hook)).toBe('done'), { timeout: 45_000 })
    expect(attempts[1]!.bytes).toEqual(attempts[0]!.bytes)
    expect(hook.result.current.transcript?.text.length).toBeGreaterThan(0)
    hook.unmount()
  })

  test('cancel while recording discards it and releases the microphone; nothing is uploaded', async () => {
    const { transport, attempts } = recordAttempts(dify())
    const hook = setup({}, transport)
    act(() => hook.result.current.start())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    await sleep(500)
    act(() => hook.result.current.cancel())
    expect(status(hook)).toBe('idle')
    expect(hook.result.current.recording).toBeNull()
    expectReleased(mic)
    await sleep(300)
    expect(attempts).toHaveLength(0)
    hook.unmount()
  })

  test('toggle starts and stops; unmounting while recording releases the microphone', async () => {
    const hook = setup()
    act(() => hook.result.current.toggle())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    expect(mic.live()).toHaveLength(1)
    await sleep(300)
    hook.unmount()
    expectReleased(mic)
  })

  test('denied permission → error permission_denied, onError; retry() without a recording starts again', async () => {
    const restore = failMicrophone(new DOMException('no', 'NotAllowedError'))
    const onError = vi.fn()
    const hook = setup({ onError })
    act(() => hook.result.current.start())
    await waitFor(() => expect(status(hook)).toBe('error'))
    expect(hook.result.current.error).toMatchObject({ name: 'VoiceError', code: 'permission_denied' })
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'permission_denied' }))
    restore()
    act(() => hook.result.current.retry())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    expect(hook.result.current.error).toBeNull()
    hook.unmount()
    expectReleased(mic)
  })

  test('a missing device → no_microphone', async () => {
    const restore = failMicrophone(new DOMException('none', 'NotFoundError'))
    try {
      const hook = setup()
      act(() => hook.result.current.start())
      await waitFor(() => expect(status(hook)).toBe('error'))
      expect(hook.result.current.error?.code).toBe('no_microphone')
      hook.unmount()
    } finally {
      restore()
    }
  })

  test("works with the app's own QueryClient", async () => {
    const client = new QueryClient()
    const hook = renderHook(() => useTranscribe(), {
      wrapper: ({ children }) => (
        <QueryClientProvider client={client}>
          <VoiceProvider transport={dify()}>{children}</VoiceProvider>
        </QueryClientProvider>
      ),
    })
    act(() => hook.result.current.start())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    await sleep(2500)
    act(() => hook.result.current.stop())
    await waitFor(() => expect(status(hook)).toBe('done'), { timeout: 45_000 })
    const mutations = client.getMutationCache().getAll()
    expect(mutations).toHaveLength(1)
    expect(mutations[0]!.state.data).toBe(hook.result.current.transcript)
    hook.unmount()
  })
})

function AutoStart() {
  const { start, status } = useTranscribe()
  // biome-ignore lint/correctness/useExhaustiveDependencies: start on mount only
  useEffect(() => start(), [])
  return <output>{status}</output>
}
let renders = 0
let controls: ReturnType<typeof useTranscribe> | undefined
function Meter() {
  renders++
  const transcribe = useTranscribe()
  controls = transcribe
  const ring = useRef<HTMLDivElement>(null)
  useAudioLevel(transcribe.level, ring)
  return <div ref={ring} data-testid="ring" />
}

describe(`StrictMode in ${server.browser}`, () => {
  test('the double mount does not open the microphone; one recording opens it once; unmount releases it', async () => {
    const hook = setup({}, dify(), true)
    await sleep(200)
    expect(mic.calls).toBe(0)
    act(() => hook.result.current.start())
    await waitFor(() => expect(status(hook)).toBe('recording'), { timeout: 10_000 })
    expect(mic.calls).toBe(1)
    expect(mic.live()).toHaveLength(1)
    await sleep(300)
    hook.unmount()
    expectReleased(mic, 1)
  })

  test('a component that starts recording on mount leaves one microphone open, and none after unmount', async () => {
    const view = render(
      <StrictMode>
        <VoiceProvider transport={dify()}>
          <AutoStart />
        </VoiceProvider>
      </StrictMode>,
    )
    await waitFor(() => expect(view.container.textContent).toBe('recording'), { timeout: 10_000 })
    await sleep(500)
    // StrictMode mounted twice: the first mount's microphone was closed by its cleanup.
    expect(mic.live()).toHaveLength(1)
    view.unmount()
    expect(mic.live()).toHaveLength(0)
    expect(mic.tracks.map((track) => track.readyState)).toEqual(mic.tracks.map(() => 'ended'))
  })
})

describe(`no render per animation frame in ${server.browser}`, () => {
  test('3 s of recording: the level reaches the element every frame, the component renders only on status and timer', async () => {
    renders = 0
    const view = render(
      <VoiceProvider transport={dify()}>
        <Meter />
      </VoiceProvider>,
    )
    const ring = view.getByTestId('ring')
    const levels: string[] = []
    const observer = new MutationObserver(() => levels.push(ring.style.getPropertyValue('--vk-level')))
    observer.observe(ring, { attributes: true, attributeFilter: ['style'] })
    act(() => controls!.start())
    await waitFor(() => expect(controls!.status).toBe('recording'), { timeout: 10_000 })
    const before = renders
    await sleep(3000)
    const during = renders - before
    observer.disconnect()
    // 3 timer ticks, give or take one; a per-frame render would be ~180.
    expect(during).toBeLessThanOrEqual(5)
    expect(levels.length).toBeGreaterThan(30)
    expect(Math.max(...levels.map(Number))).toBeGreaterThan(0.2)
    expect(renders).toBeLessThanOrEqual(12)
    act(() => controls!.cancel())
    expect(ring.style.getPropertyValue('--vk-level')).toBe('0.000')
    view.unmount()
    expectReleased(mic)
  })
})

describe(`useRecorder in ${server.browser}`, () => {
  test('start → stop gives the recording and releases the microphone', async () => {
    const hook = renderHook(() => useRecorder({ input: dify().input }))
    await act(() => hook.result.current.start())
    expect(hook.result.current.status).toBe('recording')
    await sleep(1500)
    let recording: Awaited<ReturnType<typeof hook.result.current.stop>> = null
    await act(async () => {
      recording = await hook.result.current.stop()
    })
    expect(hook.result.current.status).toBe('done')
    expect(hook.result.current.recording).toBe(recording)
    expect(recording!.blob.size).toBeGreaterThan(1000)
    expectReleased(mic)
    hook.unmount()
  })

  test('an error after the microphone opened puts it in the state and releases the microphone', async () => {
    const hook = renderHook(() => useRecorder({ mimeType: 'audio/x-not-a-type' }))
    await act(() => hook.result.current.start())
    expect(hook.result.current.status).toBe('error')
    expect(hook.result.current.error?.code).toBe('not_supported')
    expectReleased(mic)
    hook.unmount()
  })

  test('unmount under StrictMode while recording releases the microphone', async () => {
    const hook = renderHook(() => useRecorder(), { wrapper: StrictMode })
    await act(() => hook.result.current.start())
    expect(hook.result.current.status).toBe('recording')
    hook.unmount()
    expectReleased(mic, 1)
  })
})
