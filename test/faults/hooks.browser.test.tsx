// The browser half of the fault matrix: useTranscribe and useSpeak in each engine, through
// the proxy mounted by the test Vite server, to the local speech server in fault mode. The server-side
// half (test/faults/fault-matrix.test.ts) is the reference for the codes.
//
// Speech to text: ONE recording per engine, made by whichever test needs it first (so each test also runs
// alone, under -t); every fault case then drives retry() with that case's `x-speech-fault` and must end in
// the exact VoiceError code and retryable flag, having sent byte-identical audio, keeping the recording,
// with no microphone track live. Text to speech: one useSpeak per case.
//
// No assertion here is about elapsed time: each case is proven by what happened and in what order (a
// timeout case ends `timeout`, not in the answer the server sends after its delay; a stop ends `aborted`,
// not in the audio playing out). The waits' limits only keep a hang from holding the run.
import { act, renderHook, waitFor } from '@testing-library/react'
import { createDifyTransport, type SpeechTransport, type VoiceError, type VoiceErrorCode } from '@voicekit/core'
import {
  type TranscribeStatus,
  type UseTranscribeResult,
  useSpeak,
  useTranscribe,
  VoiceProvider,
} from '@voicekit/react'
import type { ReactNode } from 'react'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { fixtureWordsIn, sleep, spyOnMicrophone, type TrackSpy } from '../browser/microphone'

const browser = server.browser
const difyUrl = () => `${inject('voiceBaseUrl')}/dify`
/** The transport timeout of the "delay past the timeout" and "stall" cases. */
const HASTY_TIMEOUT_MS = 1_500
/** Longer than that: a request held this long is cut by the transport's timeout. */
const HELD_MS = 5_000
/** Longer than any case takes on a loaded machine: past it, a case is hung. */
const HANG_MS = 25_000

interface Attempt {
  fault: string | undefined
  bytes: Uint8Array
  type: string
  name: string
  signal: AbortSignal | undefined
  /** The fetch was sent / its response headers arrived. */
  sent: boolean
  responded: boolean
  outcome?: 'ok' | VoiceErrorCode
}

/**
 * The Dify transport, with the fault of the next request and its timeout chosen per case, and every
 * transcribe() call recorded: the bytes it sent, its signal, whether its response headers arrived and
 * how it ended.
 */
function faultyDify() {
  // holdUntilAborted: the attempt starts (transcribe() is called) but sends nothing until it is aborted.
  const state = { fault: undefined as string | undefined, hasty: false, holdUntilAborted: false }
  const attempts: Attempt[] = []
  let current: Attempt | undefined
  const headers = (): Record<string, string> => (state.fault ? { 'x-speech-fault': state.fault } : {})
  const watchedFetch: typeof fetch = async (input, init) => {
    const attempt = current
    if (attempt) attempt.sent = true
    const response = await fetch(input, init)
    if (attempt) attempt.responded = true
    return response
  }
  const patient = createDifyTransport({ baseUrl: difyUrl(), timeoutMs: 60_000, headers, fetch: watchedFetch })
  const hasty = createDifyTransport({
    baseUrl: difyUrl(),
    timeoutMs: HASTY_TIMEOUT_MS,
    headers,
    fetch: watchedFetch,
  })
  const transport: SpeechTransport = {
    ...patient,
    async transcribe(audio, options) {
      const attempt: Attempt = {
        fault: state.fault,
        bytes: new Uint8Array(await audio.arrayBuffer()),
        type: audio.type,
        name: (audio as File).name,
        signal: options?.signal,
        sent: false,
        responded: false,
      }
      attempts.push(attempt)
      current = attempt
      const signal = options?.signal
      if (state.holdUntilAborted && signal && !signal.aborted) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      }
      try {
        const transcript = await (state.hasty ? hasty : patient).transcribe!(audio, options)
        attempt.outcome = 'ok'
        return transcript
      } catch (error) {
        attempt.outcome = (error as VoiceError).code
        throw error
      }
    },
  }
  return { transport, attempts, state }
}

interface SttCase {
  name: string
  fault: string
  hasty?: boolean
  code: VoiceErrorCode
  retryable: boolean
  status?: number | undefined
}

const sttCases: SttCase[] = [
  { name: 'status 400', fault: 'status=400', code: 'invalid_request', retryable: false, status: 400 },
  { name: 'status 401', fault: 'status=401', code: 'unauthorized', retryable: false, status: 401 },
  { name: 'status 402', fault: 'status=402', code: 'payment_required', retryable: false, status: 402 },
  { name: 'status 413', fault: 'status=413', code: 'audio_too_large', retryable: false, status: 413 },
  { name: 'status 415', fault: 'status=415', code: 'unsupported_audio_type', retryable: false, status: 415 },
  { name: 'status 422', fault: 'status=422', code: 'invalid_request', retryable: false, status: 422 },
  { name: 'status 429', fault: 'status=429', code: 'quota_exceeded', retryable: true, status: 429 },
  { name: 'status 500', fault: 'status=500', code: 'provider_unavailable', retryable: true, status: 500 },
  { name: 'status 503', fault: 'status=503', code: 'provider_unavailable', retryable: true, status: 503 },
  {
    name: 'delay past the transport timeout',
    fault: `delay=${HELD_MS}`,
    hasty: true,
    code: 'timeout',
    retryable: true,
    status: undefined,
  },
  {
    // The server matrix has the proxy cut a stall (→ network); here the proxy waits its default 60 s,
    // so the transport's own deadline, which covers the whole transcript, ends it first.
    name: 'stall mid-body',
    fault: 'stall',
    hasty: true,
    code: 'timeout',
    retryable: true,
    status: undefined,
  },
  { name: 'drop after N bytes', fault: 'drop-after=5', code: 'network', retryable: true, status: undefined },
  { name: 'garbage body', fault: 'garbage', code: 'bad_response', retryable: false, status: 200 },
  { name: 'empty 200', fault: 'empty', code: 'bad_response', retryable: false, status: 200 },
  { name: '200 null', fault: 'null', code: 'bad_response', retryable: false, status: 200 },
]

const status = (hook: { result: { current: { status: TranscribeStatus } } }) => hook.result.current.status

function expectFixtureSpeech(text: string | undefined) {
  const found = fixtureWordsIn(text)
  expect(found, `transcript: ${text}`).toContain('kitchen')
  expect(found.length, `transcript: ${text}`).toBeGreaterThanOrEqual(3)
}

describe(`useTranscribe fault matrix in ${browser}`, () => {
  let mic: TrackSpy
  let dify: ReturnType<typeof faultyDify>
  let hook: { result: { current: UseTranscribeResult }; unmount(): void } | undefined
  const errors: VoiceError[] = []
  /** The first (and only) recording: the bytes every later attempt must send again. */
  let first: Attempt | undefined

  beforeAll(() => {
    mic = spyOnMicrophone()
    dify = faultyDify()
  })
  afterAll(() => {
    hook?.unmount()
    mic.restore()
  })

  const current = () => {
    if (!hook) throw new Error('no recording: record() failed')
    return hook.result.current
  }

  /** Records the fixture once (retries: 0) and transcribes it; every later call waits for that one. */
  let recorded: Promise<void> | undefined
  function record() {
    recorded ??= (async () => {
      const rendered = renderHook(() => useTranscribe({ retries: 0, onError: (error) => errors.push(error) }), {
        wrapper: ({ children }: { children: ReactNode }) => (
          <VoiceProvider transport={dify.transport}>{children}</VoiceProvider>
        ),
      })
      hook = rendered
      act(() => current().start())
      await waitFor(() => expect(status(rendered)).toBe('recording'), { timeout: HANG_MS })
      expect(mic.live()).toHaveLength(1)
      // The recorder's own clock, not a sleep: the fixture's words take about 2.4 s.
      await waitFor(() => expect(current().durationMs).toBeGreaterThanOrEqual(3000), { timeout: HANG_MS })
      act(() => current().stop())
      await waitFor(() => expect(status(rendered)).toBe('done'), { timeout: HANG_MS })
      first = dify.attempts[0]
    })()
    return recorded
  }

  function expectSameBytes(attempt: Attempt) {
    expect(first, 'the first recording').toBeDefined()
    expect(attempt.type).toBe(first!.type)
    expect(attempt.name).toBe(first!.name)
    expect(attempt.bytes.length).toBe(first!.bytes.length)
    expect(attempt.bytes).toEqual(first!.bytes)
  }

  /** Sets the fault of the next attempt, calls retry() and waits for that attempt to end. */
  async function retryWith(fault: string | undefined, hasty: boolean, ms: number): Promise<Attempt> {
    dify.state.fault = fault
    dify.state.hasty = hasty
    const before = dify.attempts.length
    act(() => current().retry())
    await waitFor(() => expect(dify.attempts[before]?.outcome).toBeDefined(), { timeout: ms, interval: 25 })
    return dify.attempts[before]!
  }

  test('records the fixture once (retries: 0) and transcribes it; the microphone is released', async () => {
    await record()
    expect(dify.attempts).toHaveLength(1)
    first = dify.attempts[0]!
    expect(first.outcome).toBe('ok')
    expect(first.bytes.length).toBeGreaterThan(5000)
    expectFixtureSpeech(current().transcript?.text)
    expect(current().recording).not.toBeNull()
    expect(current().error).toBeNull()
    expect(mic.calls).toBe(1)
    expect(mic.live()).toHaveLength(0)
    expect(mic.tracks.map((track) => track.readyState)).toEqual(mic.tracks.map(() => 'ended'))
  })

  test.each(sttCases)('$name → $code (retryable: $retryable), same bytes, recording kept, mic released', async (c) => {
    await record()
    const kept = current().recording
    expect(kept).not.toBeNull()
    const attemptsBefore = dify.attempts.length
    const errorsBefore = errors.length
    const attempt = await retryWith(c.fault, !!c.hasty, HANG_MS)
    expect(attempt.fault).toBe(c.fault)
    expect(attempt.outcome).toBe(c.code)
    await waitFor(() => expect(status(hook!)).toBe('error'), { timeout: HANG_MS, interval: 25 })
    const error = current().error
    expect(error).toMatchObject({ name: 'VoiceError', code: c.code, retryable: c.retryable })
    if ('status' in c) expect(error?.status).toBe(c.status)
    // retries: 0: one request per retry(), none repeated on its own.
    expect(dify.attempts).toHaveLength(attemptsBefore + 1)
    await waitFor(() => expect(errors).toHaveLength(errorsBefore + 1), { timeout: HANG_MS })
    expect(errors.at(-1)).toBe(error)
    expectSameBytes(attempt)
    expect(current().recording).toBe(kept)
    expect(current().transcript).toBeNull()
    expect(mic.live()).toHaveLength(0)
    expect(mic.calls).toBe(1) // nothing was recorded again
  })

  test('after every fault, a clean retry() sends the same bytes and succeeds', async () => {
    await record()
    const kept = current().recording
    const attempt = await retryWith(undefined, false, HANG_MS)
    expect(attempt.outcome).toBe('ok')
    await waitFor(() => expect(status(hook!)).toBe('done'), { timeout: HANG_MS })
    expectSameBytes(attempt)
    expectFixtureSpeech(current().transcript?.text)
    expect(current().error).toBeNull()
    expect(current().recording).toBe(kept)
    expect(mic.live()).toHaveLength(0)
    expect(mic.calls).toBe(1)
  })

  describe('client abort', () => {
    /** Calls cancel() once `ready` holds for the current attempt, then checks that nothing failed. */
    async function cancelWhen(fault: string | undefined, ready: (attempt: Attempt) => boolean, phase: string) {
      await record()
      const kept = current().recording
      const errorsBefore = errors.length
      const before = dify.attempts.length
      dify.state.fault = fault
      dify.state.hasty = false
      act(() => current().retry())
      await waitFor(
        () => {
          const attempt = dify.attempts[before]
          expect(attempt && ready(attempt), phase).toBe(true)
        },
        { timeout: HANG_MS, interval: 10 },
      )
      const attempt = dify.attempts[before]!
      expect(attempt.outcome, 'still in flight when cancelled').toBeUndefined()
      expect(status(hook!)).toBe('transcribing')
      act(() => current().cancel())
      expect(attempt.signal?.aborted).toBe(true)
      await waitFor(() => expect(attempt.outcome).toBe('aborted'), { timeout: HANG_MS })
      await waitFor(() => expect(status(hook!)).toBe('idle'), { timeout: HANG_MS })
      // Nothing surfaces late: still idle, no error, no onError, the recording kept.
      await sleep(300)
      expect(status(hook!)).toBe('idle')
      expect(current().error).toBeNull()
      expect(errors).toHaveLength(errorsBefore)
      expect(current().recording).toBe(kept)
      expect(dify.attempts).toHaveLength(before + 1)
      expectSameBytes(attempt)
      expect(mic.live()).toHaveLength(0)
      return attempt
    }

    test('cancel() before the upload starts → idle, no error, nothing sent, recording kept; retry() succeeds', async () => {
      dify.state.holdUntilAborted = true
      try {
        const attempt = await cancelWhen(undefined, (a) => !a.sent, 'transcribe() called, nothing sent yet')
        expect(attempt.sent).toBe(false)
      } finally {
        dify.state.holdUntilAborted = false
      }
      const again = await retryWith(undefined, false, HANG_MS)
      expect(again.outcome).toBe('ok')
      await waitFor(() => expect(status(hook!)).toBe('done'), { timeout: HANG_MS })
      expectSameBytes(again)
      expectFixtureSpeech(current().transcript?.text)
    })

    test('cancel() while waiting (delay=20000) → idle, no error, recording kept; retry() succeeds', async () => {
      const attempt = await cancelWhen('delay=20000', (a) => a.sent && !a.responded, 'request sent, no answer yet')
      expect(attempt.responded).toBe(false)
      const again = await retryWith(undefined, false, HANG_MS)
      expect(again.outcome).toBe('ok')
      await waitFor(() => expect(status(hook!)).toBe('done'), { timeout: HANG_MS })
      expectSameBytes(again)
      expectFixtureSpeech(current().transcript?.text)
    })

    test('cancel() while the transcript trickles in (rate=4) → idle, no error, recording kept; retry() succeeds', async () => {
      const attempt = await cancelWhen('rate=4', (a) => a.responded, 'response headers in')
      expect(attempt.responded).toBe(true)
      const again = await retryWith(undefined, false, HANG_MS)
      expect(again.outcome).toBe('ok')
      await waitFor(() => expect(status(hook!)).toBe('done'), { timeout: HANG_MS })
      expectSameBytes(again)
      expectFixtureSpeech(current().transcript?.text)
      expect(mic.calls).toBe(1)
    })
  })
})

describe(`an abort in the middle of an upload, in ${browser}`, () => {
  // fetch reports no upload progress, and a few seconds of recording fit in loopback's socket buffers, so the
  // hook's cancel() cannot be timed to land mid-upload. Here the upload is made to be in flight by
  // construction: 20 MB, which no socket buffer holds, to a provider that reads nothing for 60 s —
  // past this test's timeout, so only an abort that lands mid-upload settles it in time.
  test('20 MB to a provider that is not reading, aborted mid-upload → aborted, not left waiting', async () => {
    const transport = createDifyTransport({
      baseUrl: difyUrl(),
      timeoutMs: 120_000,
      headers: { 'x-speech-fault': 'delay=60000' },
    })
    const header = new Uint8Array(44)
    header.set([...'RIFF'].map((c) => c.charCodeAt(0)))
    const audio = new Blob([header, new Uint8Array(20_000_000)], { type: 'audio/wav' })
    const controller = new AbortController()
    const outcome = transport.transcribe!(audio, { signal: controller.signal }).then(
      () => 'transcribed',
      (error: VoiceError) => error,
    )
    // When is not the point: at any moment of the upload, the abort must end it.
    await sleep(500)
    controller.abort()
    const error = await outcome
    expect(error).toMatchObject({ name: 'VoiceError', code: 'aborted', retryable: false })
  })
})

interface TtsCase {
  name: string
  fault: string
  hasty?: boolean
  code: VoiceErrorCode
  retryable?: boolean
  /** Audio must have been heard before the failure (a stream cut after it started). */
  heard?: boolean
}

const ttsCases: TtsCase[] = [
  { name: 'status 400', fault: 'status=400', code: 'invalid_request', retryable: false },
  { name: 'status 401', fault: 'status=401', code: 'unauthorized', retryable: false },
  { name: 'status 429', fault: 'status=429', code: 'quota_exceeded', retryable: true },
  { name: 'status 500', fault: 'status=500', code: 'provider_unavailable', retryable: true },
  { name: 'status 503', fault: 'status=503', code: 'provider_unavailable', retryable: true },
  {
    name: 'delay past the transport timeout',
    fault: `delay=${HELD_MS}`,
    hasty: true,
    code: 'timeout',
    retryable: true,
  },
  // As in player.browser.test.ts: the player reports a cut stream as playback_failed, after what arrived played.
  { name: 'drop after N bytes', fault: 'rate=32000; drop-after=16000', code: 'playback_failed', heard: true },
  // The transport passes audio bytes on as they are; only the decoder can tell noise from MP3.
  { name: 'garbage body', fault: 'garbage', code: 'playback_failed', heard: false },
  // An answer with no audio at all is caught by the transport, before the player is involved.
  { name: 'empty 200', fault: 'empty', code: 'bad_response', retryable: false, heard: false },
  { name: '200 null', fault: 'null', code: 'bad_response', retryable: false, heard: false },
]

describe(`useSpeak fault matrix in ${browser}`, () => {
  const story = 'The first sentence is short. Here comes the second one. And this is the third, a little longer.'

  // stop() at each phase of a speech request: before it is sent, while the provider holds it, while the
  // audio streams in. Each ends `aborted` (never as an error, never by the request or the audio running out),
  // back to idle. The held request is held past the test's timeout: only the stop can end it in time.
  const stopCases: { phase: string; fault: string | undefined; when: 'at once' | 'held' | 'playing' }[] = [
    { phase: 'before the request is sent', fault: undefined, when: 'at once' },
    { phase: 'while the provider holds the request (delay=60000)', fault: 'delay=60000', when: 'held' },
    { phase: 'while the audio streams in (rate=6000)', fault: 'rate=6000', when: 'playing' },
  ]
  test.each(stopCases)('stop() $phase → aborted, idle, no error', async (c) => {
    const sent = { request: false }
    const transport = createDifyTransport({
      baseUrl: difyUrl(),
      timeoutMs: 120_000,
      headers: c.fault ? { 'x-speech-fault': c.fault } : {},
      fetch: (input, init) => {
        sent.request = true
        return fetch(input, init)
      },
    })
    const { result, unmount } = renderHook(() => useSpeak({ cache: false }), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <VoiceProvider transport={transport}>{children}</VoiceProvider>
      ),
    })
    try {
      const settled: { outcome: VoiceError | undefined | 'pending' } = { outcome: 'pending' }
      act(() => {
        void result.current.speak(story).then((error) => {
          settled.outcome = error
        })
        if (c.when === 'at once') result.current.stop()
      })
      if (c.when === 'held') await waitFor(() => expect(sent.request).toBe(true), { timeout: HANG_MS })
      if (c.when === 'playing') {
        await waitFor(() => expect(result.current.currentTime).toBeGreaterThan(0.2), { timeout: HANG_MS })
      }
      if (c.when !== 'at once') act(() => result.current.stop())
      await expect.poll(() => settled.outcome, { timeout: HANG_MS, interval: 25 }).not.toBe('pending')
      expect(settled.outcome).toMatchObject({ name: 'VoiceError', code: 'aborted' })
      await waitFor(() => expect(result.current.status).toBe('idle'), { timeout: HANG_MS })
      expect(result.current.error).toBeNull()
      if (c.when !== 'playing') expect(result.current.firstAudioMs).toBeNull()
    } finally {
      unmount()
    }
  })

  test.each(ttsCases)('$name → $code', async (c) => {
    const transport = createDifyTransport({
      baseUrl: difyUrl(),
      timeoutMs: c.hasty ? HASTY_TIMEOUT_MS : 60_000,
      headers: { 'x-speech-fault': c.fault },
    })
    const { result, unmount } = renderHook(() => useSpeak({ cache: false }), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <VoiceProvider transport={transport}>{children}</VoiceProvider>
      ),
    })
    const seen: string[] = []
    const off = result.current.player.subscribe(() => {
      const now = result.current.player.getSnapshot().status
      if (seen.at(-1) !== now) seen.push(now)
    })
    try {
      const settled: { outcome: VoiceError | undefined | 'pending' } = { outcome: 'pending' }
      act(() => {
        void result.current.speak(story).then((error) => {
          settled.outcome = error
        })
      })
      await expect.poll(() => settled.outcome, { timeout: HANG_MS, interval: 25 }).not.toBe('pending')
      const error = settled.outcome as VoiceError | undefined
      expect(error, `speak() resolved with ${JSON.stringify(error)}`).toMatchObject({
        name: 'VoiceError',
        code: c.code,
      })
      if (c.retryable !== undefined) expect(error?.retryable).toBe(c.retryable)
      // A hasty case's answer would come after HELD_MS, as audio: ending `timeout` is the transport's deadline.
      await waitFor(() => expect(result.current.status).toBe('error'), { timeout: HANG_MS })
      expect(result.current.error?.code).toBe(c.code)
      expect(result.current.request.isPending).toBe(false)
      if (c.heard === true) {
        expect(seen).toContain('playing')
        expect(seen.indexOf('playing')).toBeLessThan(seen.lastIndexOf('error'))
        expect(result.current.currentTime).toBeGreaterThan(0.3)
      }
      if (c.heard === false) expect(result.current.firstAudioMs).toBeNull()
    } finally {
      off()
      unmount()
    }
  })
})
