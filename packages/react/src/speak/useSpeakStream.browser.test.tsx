// useSpeak given a text stream, in each engine, against the local speech server (Dify's wire format).
// core's speakTextStream tests prove the cutting, retries and cancellation; these prove the hook's glue:
// `speak(stream)` type-checks and reaches speakTextStream, the hook's state follows the reply, the hook's
// stop() reaches the text source and the requests, and a broken stream shows in the hook's `error`.
import { QueryClient, useIsMutating } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { clearSpeechCache, createDifyTransport, type SpeechTransport, type VoiceError } from '@voicekit/core'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { VoiceProvider } from '../provider'
import { type SpeakInput, type UseSpeakResult, useSpeak } from '.'

const browser = server.browser
const story = ['Here is the first sentence.', 'The second one follows it closely.', 'And the third one ends the reply.']

interface Call {
  text: string
  signal?: AbortSignal
  /** The response: still arriving; how it ended (read to its end, cancelled, or broken off by the abort). */
  body: { arriving: boolean; ended?: 'done' | 'cancelled' | 'aborted' }
}

/** The Dify transport to the local speech server, recording every request and watching its body. */
function localDify(fault?: string) {
  const dify = createDifyTransport({
    baseUrl: `${inject('voiceBaseUrl')}/dify`,
    headers: fault ? { 'x-speech-fault': fault } : undefined,
  })
  const calls: Call[] = []
  const transport: SpeechTransport = {
    ...dify,
    provider: `dify-${Math.random()}`, // a cache of its own per test
    async speak(text, options) {
      const call: Call = { text, signal: options?.signal, body: { arriving: true } }
      calls.push(call)
      const audio = await dify.speak!(text, options).catch((error) => {
        if (call.signal?.aborted) call.body = { arriving: false, ended: 'aborted' } // before its headers
        throw error
      })
      const reader = audio.body.getReader()
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const { done, value } = await reader.read()
              if (!done) return controller.enqueue(value)
              call.body = { arriving: false, ended: 'done' }
              controller.close()
            } catch (error) {
              // The fetch was aborted by the request's signal while the body was arriving.
              if (call.signal?.aborted) call.body = { arriving: false, ended: 'aborted' }
              throw error
            }
          },
          cancel(reason) {
            call.body = { arriving: false, ended: 'cancelled' }
            return reader.cancel(reason)
          },
        },
        { highWaterMark: 0 },
      )
      return { mimeType: audio.mimeType, body }
    },
  }
  return { transport, calls }
}

/** Tokens of a few characters at `perSecond`, as an LLM writes them; records whether its `finally` ran early. */
function tokens(text: string, { perSecond = 60, size = 4, endless = false } = {}) {
  const seen = { given: 0, returned: false }
  async function* generate() {
    let done = false
    try {
      for (let i = 0; endless || i < text.length; i += size) {
        if (i >= text.length) i = 0
        await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond))
        seen.given++
        yield text.slice(i, i + size)
      }
      done = true
    } finally {
      seen.returned = !done
    }
  }
  return { stream: generate(), seen }
}

const queryClient = () => new QueryClient({ defaultOptions: { mutations: { retry: false } } })

/** useSpeak under a VoiceProvider (with its QueryClient), and every status the hook rendered. */
function renderSpeak(transport: SpeechTransport, client = queryClient()) {
  const statuses: string[] = []
  const rendered = renderHook(
    () => {
      const speech = useSpeak({ playbackRate: 2 })
      const mutating = useIsMutating({ mutationKey: ['voicekit', 'speak'] }, client)
      if (statuses.at(-1) !== speech.status) statuses.push(speech.status)
      return { speech, mutating }
    },
    {
      wrapper: ({ children }: { children: ReactNode }) => (
        <VoiceProvider transport={transport} queryClient={client}>
          {children}
        </VoiceProvider>
      ),
    },
  )
  return { ...rendered, statuses }
}

/** Calls the hook's speak() as a click handler would, and the promise of its outcome. */
function speakNow(speech: () => UseSpeakResult, input: SpeakInput): Promise<VoiceError | undefined> {
  let done: Promise<VoiceError | undefined> = Promise.resolve(undefined)
  act(() => {
    done = speech().speak(input)
  })
  return done
}

/**
 * Until the hook's session is playing, read from its store: a generator cannot wait for a render (React
 * holds renders back inside an act() scope until it ends).
 */
async function playing(speech: UseSpeakResult) {
  while (speech.session.getSnapshot().status !== 'playing') await new Promise((resolve) => setTimeout(resolve, 20))
}

afterEach(() => clearSpeechCache())

describe(`useSpeak(textStream) in ${browser}`, () => {
  test('a token stream is spoken to its end: playing → done, one request per piece through the app runner', {
    timeout: 60_000,
  }, async () => {
    const { transport, calls } = localDify()
    const client = queryClient()
    const { result, statuses, unmount } = renderSpeak(transport, client)
    const first = tokens(`${story.slice(0, -1).join(' ')} `, { perSecond: 120 })
    const last = tokens(story.at(-1)!, { perSecond: 120 })
    // The last sentence is written only once speech is heard: a hook that waited for the whole text
    // would never get it (and this test would time out).
    async function* reply() {
      yield* first.stream
      await playing(result.current.speech)
      yield* last.stream
    }
    // An AsyncGenerator goes straight in: speak() takes AsyncIterable<string> | ReadableStream<string>.
    const done = speakNow(() => result.current.speech, reply())
    // Awaited outside act(), so that the hook renders each state as it comes (in React 18 too).
    await waitFor(() => expect(result.current.speech.status).toBe('playing'), { timeout: 30_000 })
    expect(await done).toBeUndefined()
    await waitFor(() => expect(result.current.speech.status).toBe('done'))

    expect(first.seen.returned || last.seen.returned).toBe(false) // read to its end, not cancelled
    expect(statuses).toContain('playing')
    expect(statuses.indexOf('playing')).toBeLessThan(statuses.lastIndexOf('done'))
    expect(statuses.at(-1)).toBe('done')
    const state = result.current.speech
    expect(state.error).toBeNull()
    // Three sentences of Flite speech: several seconds of audio, all of it played. (The last sentence is
    // written late on purpose, so the output may run dry before it: no underrun count is asserted here.)
    expect(state.currentTime).toBeGreaterThan(3)
    // Every piece went to the server, in order, and through the app's QueryClient as a mutation.
    expect(calls.length).toBeGreaterThan(1)
    expect(calls.map((c) => c.text).join(' ')).toBe(story.join(' '))
    expect(calls.every((c) => c.body.ended === 'done')).toBe(true)
    const mutations = client.getMutationCache().findAll({ mutationKey: ['voicekit', 'speak'] })
    expect(mutations).toHaveLength(calls.length)
    expect(mutations.every((m) => m.state.status === 'success')).toBe(true)
    expect(state.request.status).toBe('success')
    expect(result.current.mutating).toBe(0)

    // The pieces are in the hook's speech cache: the first sentence spoken alone sends no request.
    await act(async () => expect(await result.current.speech.speak(story[0]!)).toBeUndefined())
    expect(calls).toHaveLength(mutations.length)
    unmount()
  })

  test("the hook's stop() mid-stream stops reading the generator and aborts the requests in flight", async () => {
    const { transport, calls } = localDify('rate=6000') // slower than real time: requests stay open
    const { result, unmount } = renderSpeak(transport)
    const { stream, seen } = tokens(`${story.join(' ')} `, { perSecond: 30, endless: true })
    const done = speakNow(() => result.current.speech, stream)
    await waitFor(() => expect(result.current.speech.status).toBe('playing'), { timeout: 30_000 })
    expect(calls.some((c) => c.body.arriving)).toBe(true)
    act(() => result.current.speech.stop())
    expect((await done)?.code).toBe('aborted')
    await waitFor(() => expect(seen.returned).toBe(true)) // the generator's finally ran
    const given = seen.given
    for (const call of calls) expect(call.signal?.aborted).toBe(true)
    // Nothing is left downloading: what was arriving was cancelled or broken off by the abort.
    await waitFor(() => expect(calls.filter((c) => c.body.arriving)).toEqual([]))
    expect(calls.some((c) => c.body.ended === 'cancelled' || c.body.ended === 'aborted')).toBe(true)
    expect(result.current.speech.status).toBe('idle')
    expect(result.current.speech.error).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(seen.given).toBe(given) // nothing read after the stop
    unmount()
  })

  test('unmounting mid-stream cancels a ReadableStream<string> source and its requests', async () => {
    const { transport, calls } = localDify('rate=6000')
    const { result, unmount } = renderSpeak(transport)
    let cancelled: unknown
    let i = 0
    const text = new ReadableStream<string>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 30))
        controller.enqueue(`${story[i++ % story.length]} `)
      },
      cancel(reason) {
        cancelled = reason ?? true
      },
    })
    const done = speakNow(() => result.current.speech, text)
    await waitFor(() => expect(result.current.speech.currentTime).toBeGreaterThan(0.2), { timeout: 30_000 })
    unmount()
    expect((await done)?.code).toBe('aborted')
    await waitFor(() => expect(cancelled).toBeDefined())
    for (const call of calls) expect(call.signal?.aborted).toBe(true)
  })

  test('an empty stream stays idle and sends no request', async () => {
    const { transport, calls } = localDify()
    const { result, statuses, unmount } = renderSpeak(transport)
    async function* empty() {
      yield ''
      yield '  \n '
    }
    await act(async () => expect(await result.current.speech.speak(empty())).toBeUndefined())
    const text = new ReadableStream<string>({
      start(controller) {
        controller.close()
      },
    })
    await act(async () => expect(await result.current.speech.speak(text)).toBeUndefined())
    expect(calls).toEqual([])
    expect(statuses).toEqual(['idle'])
    expect(result.current.speech.error).toBeNull()
    expect(result.current.speech.request.status).toBe('idle')
    unmount()
  })

  test("a stream that fails before its first sentence is the hook's error, not silence; stop() clears it", async () => {
    const { transport, calls } = localDify()
    const { result, unmount } = renderSpeak(transport)
    const text = new ReadableStream<string>({
      pull(controller) {
        controller.error(new TypeError('The reply could not be loaded (503)'))
      },
    })
    const error = await speakNow(() => result.current.speech, text)
    expect(error?.code).toBe('network')
    await waitFor(() => expect(result.current.speech.status).toBe('error'))
    expect(result.current.speech.error).toBe(error)
    expect(calls).toEqual([])
    act(() => result.current.speech.stop())
    expect(result.current.speech.status).toBe('idle')
    expect(result.current.speech.error).toBeNull()
    unmount()
  })

  test("a stream that throws ends in a typed VoiceError in the hook's error; what was heard stays heard", {
    timeout: 60_000,
  }, async () => {
    const { transport, calls } = localDify()
    const { result, statuses, unmount } = renderSpeak(transport)
    async function* broken() {
      yield `${story[0]} `
      yield 'The second one is cut'
      // The model's stream drops once the first sentence is being heard.
      await playing(result.current.speech)
      throw new TypeError('network error: the model stream dropped')
    }
    const done = speakNow(() => result.current.speech, broken())
    await waitFor(() => expect(result.current.speech.status).toBe('playing'), { timeout: 30_000 })
    const error = await done
    await waitFor(() => expect(result.current.speech.status).toBe('error'))
    expect(error?.name).toBe('VoiceError')
    expect(error?.code).toBe('network')
    expect(error?.message).toMatch(/model stream dropped/)
    const state = result.current.speech
    expect(state.error).toBe(error)
    expect(state.status).toBe('error')
    expect(statuses).toContain('playing')
    // The first sentence was requested alone and played through (more than a second of Flite speech)...
    expect(calls.map((c) => c.text)).toEqual([story[0]])
    expect(state.currentTime).toBeGreaterThan(0.8)
    // ...and is kept: spoken again, it comes from the cache, and the error is gone.
    await act(async () => expect(await result.current.speech.speak(story[0]!)).toBeUndefined())
    expect(calls).toHaveLength(1)
    expect(result.current.speech.status).toBe('done')
    expect(result.current.speech.error).toBeNull()
    unmount()
  })
})
