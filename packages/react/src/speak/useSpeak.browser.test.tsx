// useSpeak and useStreamingPlayer in each engine: a counting transport on an in-page paced
// stream, and the Dify transport through @voicekit/proxy to the local speech server.
import { act, renderHook, waitFor } from '@testing-library/react'
import { clearSpeechCache, createDifyTransport, type SpeechTransport, VoiceError } from '@voicekit/core'
import { type ReactNode, StrictMode } from 'react'
import { afterEach, describe, expect, inject, test, vi } from 'vitest'
import { server } from 'vitest/browser'
import { useStreamingPlayer } from '../player'
import { VoiceProvider } from '../provider'
import { useSpeak } from './useSpeak'

const browser = server.browser
const mp3Engine = 'webaudio'
const load = async (name: string) =>
  new Uint8Array(await (await fetch(`${inject('fixturesUrl')}/speech/${name}`)).arrayBuffer())
const [weather, three] = await Promise.all([load('weather.mp3'), load('three-sentences.mp3')])

/** A stream of `bytes` at `rate` bytes/s that records whether it was cancelled. */
function paced(bytes: Uint8Array, rate: number) {
  const seen = { sent: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (seen.sent >= bytes.length) return controller.close()
        await new Promise((resolve) => setTimeout(resolve, (1000 / rate) * 1000))
        if (seen.cancelled) return
        controller.enqueue(bytes.slice(seen.sent, seen.sent + 1000))
        seen.sent += 1000
      },
      cancel() {
        seen.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { body, seen }
}

/** A transport whose speak() serves `bytes` and records every call, its signal and its stream. */
function countingTransport(bytes: Uint8Array, rate = 32_000) {
  const calls: { text: string; voice?: string; signal?: AbortSignal; seen: { cancelled: boolean } }[] = []
  const transport: SpeechTransport = {
    provider: `counting-${Math.random()}`,
    input: { mimeTypes: [], maxBytes: 0 },
    async speak(text, options = {}) {
      const { body, seen } = paced(bytes, rate)
      calls.push({ text, voice: options.voice, signal: options.signal, seen })
      return { mimeType: 'audio/mpeg', body }
    },
  }
  return { transport, calls }
}

const withProvider =
  (transport: SpeechTransport, strict = false) =>
  ({ children }: { children: ReactNode }) => {
    const tree = <VoiceProvider transport={transport}>{children}</VoiceProvider>
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }

afterEach(() => {
  vi.restoreAllMocks()
  clearSpeechCache()
})

describe(`useSpeak in ${browser}`, () => {
  test('requests once per (voice, text): replaying plays from the cache', async () => {
    const { transport, calls } = countingTransport(weather)
    const { result, unmount } = renderHook(() => useSpeak(), { wrapper: withProvider(transport) })
    await act(async () => expect(await result.current.speak('What is the weather like today?')).toBeUndefined())
    expect(calls).toHaveLength(1)
    expect(result.current.status).toBe('done')
    expect(result.current.engine).toBe(mp3Engine)
    expect(result.current.request.status).toBe('success')

    await act(async () => expect(await result.current.speak('What is the weather like today?')).toBeUndefined())
    expect(calls).toHaveLength(1)
    expect(result.current.currentTime).toBeGreaterThan(1.5)

    await act(async () => {
      await result.current.speak({ text: 'What is the weather like today?', voice: 'kal16' })
    })
    expect(calls.map((call) => call.voice)).toEqual([undefined, 'kal16'])
    unmount()
  })

  test('cache: false sends the request again', async () => {
    const { transport, calls } = countingTransport(weather, 64_000)
    const { result, unmount } = renderHook(() => useSpeak({ cache: false }), { wrapper: withProvider(transport) })
    await act(async () => {
      await result.current.speak('Again')
      await result.current.speak('Again')
    })
    expect(calls).toHaveLength(2)
    unmount()
  })

  test('speak() unlocks audio synchronously, inside the calling gesture', async () => {
    const { transport } = countingTransport(weather, 64_000)
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play')
    const resume = vi.spyOn(AudioContext.prototype, 'resume')
    const { result, unmount } = renderHook(() => useSpeak(), { wrapper: withProvider(transport) })
    let done: Promise<unknown> = Promise.resolve()
    act(() => {
      done = result.current.speak('Now')
      // Nothing has been awaited yet: the element (and in Firefox the AudioContext) was started here.
      expect(play).toHaveBeenCalled()
      if (browser === 'firefox') expect(resume).toHaveBeenCalled()
    })
    await act(async () => expect(await done).toBeUndefined())
    unmount()
  })

  test('stop() stops playback and aborts the download; nothing half-heard is cached', async () => {
    const { transport, calls } = countingTransport(three, 8000) // real time
    const { result, unmount } = renderHook(() => useSpeak(), { wrapper: withProvider(transport) })
    let done: Promise<VoiceError | undefined> = Promise.resolve(undefined)
    act(() => {
      done = result.current.speak('A long story')
    })
    await waitFor(() => expect(result.current.currentTime).toBeGreaterThan(0.2), { timeout: 20_000 })
    expect(result.current.status).toBe('playing')
    act(() => result.current.stop())
    expect((await done)?.code).toBe('aborted')
    expect(result.current.status).toBe('idle')
    expect(calls[0]?.signal?.aborted).toBe(true)
    await waitFor(() => expect(calls[0]?.seen.cancelled).toBe(true))
    await act(async () => {
      done = result.current.speak('A long story')
      await waitFor(() => expect(calls).toHaveLength(2))
      result.current.stop()
      await done
    })
    unmount()
  })

  test('a failed request is the hook error, with the transport code', async () => {
    const transport: SpeechTransport = {
      provider: 'failing',
      input: { mimeTypes: [], maxBytes: 0 },
      speak: async () => {
        throw new VoiceError('provider_unavailable', 'down for maintenance', { status: 503, provider: 'failing' })
      },
    }
    const { result, unmount } = renderHook(() => useSpeak(), { wrapper: withProvider(transport) })
    await act(async () => expect((await result.current.speak('Hi'))?.code).toBe('provider_unavailable'))
    expect(result.current.status).toBe('error')
    expect(result.current.error?.code).toBe('provider_unavailable')
    expect(result.current.request.error?.code).toBe('provider_unavailable')
    unmount()
  })
})

describe(`useStreamingPlayer in ${browser}`, () => {
  test('plays under StrictMode, and unmounting stops playback and cancels the stream', async () => {
    const { result, unmount } = renderHook(() => useStreamingPlayer(), {
      wrapper: ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>,
    })
    const first = paced(weather, 64_000)
    await act(async () =>
      expect(await result.current.play({ mimeType: 'audio/mpeg', body: first.body })).toBeUndefined(),
    )
    expect(result.current.status).toBe('done')
    const second = paced(three, 8000)
    let done: Promise<VoiceError | undefined> = Promise.resolve(undefined)
    act(() => {
      done = result.current.play({ mimeType: 'audio/mpeg', body: second.body })
    })
    await waitFor(() => expect(result.current.status).toBe('playing'), { timeout: 20_000 })
    unmount()
    expect((await done)?.code).toBe('aborted')
    await waitFor(() => expect(second.seen.cancelled).toBe(true))
  })
})

/** The Dify transport to the local speech server, counting requests and watching each body. */
function localDify(fault?: string) {
  const dify = createDifyTransport({
    baseUrl: `${inject('voiceBaseUrl')}/dify`,
    headers: fault ? { 'x-speech-fault': fault } : undefined,
  })
  const bodies: { arriving: boolean; cancelled: boolean; bytes: number }[] = []
  const transport: SpeechTransport = {
    ...dify,
    async speak(text, options) {
      const audio = await dify.speak!(text, options)
      const tap = { arriving: true, cancelled: false, bytes: 0 }
      bodies.push(tap)
      const reader = audio.body.getReader()
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            const { done, value } = await reader.read()
            if (done) {
              tap.arriving = false
              return controller.close()
            }
            tap.bytes += value.length
            controller.enqueue(value)
          },
          cancel(reason) {
            tap.cancelled = true
            return reader.cancel(reason)
          },
        },
        { highWaterMark: 0 },
      )
      return { mimeType: audio.mimeType, body }
    },
  }
  return { transport, bodies }
}

describe(`useSpeak against the local speech server in ${browser}`, () => {
  const story = 'The first sentence is short. Here comes the second one. And this is the third, a little longer.'

  test('speech is heard while it streams in, and replaying it sends no second request', async () => {
    const { transport, bodies } = localDify('rate=16000')
    const { result, unmount } = renderHook(() => useSpeak(), { wrapper: withProvider(transport) })
    let heardWhileArriving = false
    const off = result.current.player.subscribe(() => {
      if (result.current.player.getSnapshot().currentTime > 0 && bodies[0]?.arriving) heardWhileArriving = true
    })
    await act(async () => expect(await result.current.speak(story)).toBeUndefined())
    off()
    expect(heardWhileArriving).toBe(true)
    expect(result.current.engine).toBe(mp3Engine)
    expect(result.current.currentTime).toBeGreaterThan(3)
    console.info(
      `[${browser} speech server] firstByteMs=${result.current.firstByteMs} firstAudioMs=${result.current.firstAudioMs}`,
    )
    await act(async () => expect(await result.current.speak(story)).toBeUndefined())
    expect(bodies).toHaveLength(1)
    expect(result.current.currentTime).toBeGreaterThan(3)
    unmount()
  })

  test('stop() aborts the download from the server', async () => {
    const { transport, bodies } = localDify('rate=4000')
    const { result, unmount } = renderHook(() => useSpeak({ cache: false }), { wrapper: withProvider(transport) })
    let done: Promise<VoiceError | undefined> = Promise.resolve(undefined)
    act(() => {
      done = result.current.speak(story)
    })
    await waitFor(() => expect(result.current.status).toBe('playing'), { timeout: 20_000 })
    act(() => result.current.stop())
    expect((await done)?.code).toBe('aborted')
    await waitFor(() => expect(bodies[0]?.cancelled).toBe(true))
    expect(bodies[0]?.arriving).toBe(true)
    unmount()
  })
})
