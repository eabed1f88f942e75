// The controller's logic in Node: audio from samples (the pipeline after capture is the same as the
// microphone's), a scripted transport. The browser tests run it against the real speech server.
import { expect, test } from 'vitest'
import { createSamplesPcm } from '../../capture/pcm'
import { VoiceError } from '../../errors'
import { speechBursts } from '../../test-support/speech-bursts'

const RATE = 16_000

import type { SpeechTransport, Transcript } from '../../transport/types'
import { createDictation } from './controller'
import type { DictationOptions, DictationState } from './types'

interface Call {
  index: number
  bytes: number
  signal: AbortSignal | undefined
  answer(text: string): void
  fail(error: VoiceError): void
}

/** A transport whose answers the test gives by hand; `calls` in the order they were made. */
function scripted() {
  const calls: Call[] = []
  const transport: SpeechTransport = {
    provider: 'scripted',
    input: { mimeTypes: ['audio/wav'], maxBytes: 10_000_000, minSeconds: 1 },
    transcribe(audio, options) {
      return new Promise<Transcript>((resolve, reject) => {
        const call: Call = {
          index: calls.length,
          bytes: audio.size,
          signal: options?.signal,
          answer: (text) =>
            resolve({ text, segments: [{ text, start: 0.1, end: 0.9 }], provider: 'scripted', raw: null }),
          fail: reject,
        }
        options?.signal?.addEventListener('abort', () => reject(new VoiceError('aborted')))
        calls.push(call)
      })
    },
  }
  return { transport, calls }
}

const until = async (check: () => boolean, ms = 5000) => {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function dictate(count: number, options: Partial<DictationOptions> & Pick<DictationOptions, 'transport'>) {
  const dictation = createDictation({
    source: () => createSamplesPcm(speechBursts(count), { speed: Infinity }),
    retryDelayMs: 10,
    ...options,
  })
  const states: DictationState[] = []
  dictation.subscribe(() => states.push(dictation.getSnapshot()))
  return { dictation, states }
}

test('segments are sent while recording, at most `concurrency` at a time, and stitched in order whatever order they answer in', async () => {
  const { transport, calls } = scripted()
  const { dictation, states } = dictate(5, { transport, concurrency: 2 })
  await dictation.start()
  await until(() => calls.length === 2)
  // The source keeps delivering, yet no third request while two are in flight.
  await until(() => dictation.getSnapshot().segments.length === 5)
  expect(calls).toHaveLength(2)
  calls[1]!.answer('two')
  await until(() => calls.length === 3)
  expect(dictation.getSnapshot().text).toBe('') // the first is still on its way: nothing out of order
  calls[0]!.answer('one')
  await until(() => dictation.getSnapshot().text === 'one two')
  calls[2]!.answer('three')
  await until(() => calls.length === 5)
  calls[4]!.answer('five')
  calls[3]!.answer('four')
  const stopped = dictation.stop()
  await stopped
  const s = dictation.getSnapshot()
  expect(s.status).toBe('done')
  expect(s.text).toBe('one two three four five')
  // Timestamps on the recording's clock: segment k starts near 0.2 + 2k s (pre-roll before 0.5 + 2k).
  expect(s.transcript?.segments.map((x) => Math.round(x.start))).toEqual([0, 2, 4, 6, 8])
  expect(s.transcript!.segments[3]!.start).toBeCloseTo(s.segments[3]!.start + 0.1)
  // Every segment at least the provider's minimum (1 s at 16 kHz, 16-bit, plus the header).
  for (const call of calls) expect(call.bytes).toBeGreaterThanOrEqual(44 + 2 * RATE)
  // The text only ever grew at its end.
  const texts = [...new Set(states.map((x) => x.text))]
  for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true)
  expect(s.recording?.size).toBe(44 + 2 * speechBursts(5).length)
})

test('a retryable failure is retried by itself and lands in its place; a non-retryable one waits for retry()', async () => {
  const { transport, calls } = scripted()
  const { dictation } = dictate(3, { transport, concurrency: 3 })
  await dictation.start()
  await until(() => calls.length === 3)
  calls[1]!.fail(new VoiceError('provider_unavailable', 'busy', { status: 503 }))
  calls[2]!.fail(new VoiceError('invalid_request', 'no', { status: 400 }))
  calls[0]!.answer('one')
  await until(() => calls.length === 4)
  calls[3]!.answer('two')
  const stopped = dictation.stop()
  await stopped
  expect(dictation.getSnapshot().status).toBe('error')
  expect(dictation.getSnapshot().error?.code).toBe('invalid_request')
  expect(dictation.getSnapshot().text).toBe('one two')
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(calls).toHaveLength(4) // not re-sent by itself
  dictation.retry()
  await until(() => calls.length === 5)
  expect(calls[4]!.bytes).toBe(calls[2]!.bytes)
  calls[4]!.answer('three')
  await until(() => dictation.getSnapshot().status === 'done')
  expect(dictation.getSnapshot().text).toBe('one two three')
})

test('network failures hold the queue and nothing is lost; retries are not spent on them', async () => {
  const { transport, calls } = scripted()
  const { dictation, states } = dictate(3, { transport, concurrency: 1, retries: 0 })
  await dictation.start()
  for (let i = 0; i < 4; i++) {
    await until(() => calls.length === i + 1)
    calls[i]!.fail(new VoiceError('network', 'offline'))
  }
  expect(states.some((x) => x.offline)).toBe(true)
  for (let i = 4; i < 7; i++) {
    await until(() => calls.length === i + 1)
    calls[i]!.answer(`w${i}`)
  }
  await dictation.stop()
  expect(dictation.getSnapshot().text).toBe('w4 w5 w6')
  expect(dictation.getSnapshot().status).toBe('done')
})

test('cancel aborts every request in flight, drops the rest, and nothing comes back', async () => {
  const { transport, calls } = scripted()
  const { dictation } = dictate(4, { transport, concurrency: 3 })
  await dictation.start()
  await until(() => calls.length === 3)
  dictation.cancel()
  expect(calls.map((x) => x.signal?.aborted)).toEqual([true, true, true])
  expect(dictation.getSnapshot()).toMatchObject({ status: 'idle', segments: [], text: '' })
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(calls).toHaveLength(3)
})

test('auto-stop after silence, auto-start on speech', async () => {
  const { transport, calls } = scripted()
  const { dictation, states } = dictate(1, { transport, autoStart: true, autoStopSilenceMs: 800 })
  // 1 s of buzz then silence; played at real time would take 2.5 s, so fast: the silence is in the samples.
  await dictation.start()
  await until(() => calls.length === 1)
  calls[0]!.answer('hello')
  await until(() => dictation.getSnapshot().status === 'done')
  const statuses = [...new Set(states.map((x) => x.status))]
  // (`transcribing` is skipped when the last answer came before the recording had stopped.)
  expect(statuses.filter((x) => x !== 'transcribing')).toEqual([
    'requesting',
    'listening',
    'recording',
    'stopping',
    'done',
  ])
  expect(dictation.getSnapshot().text).toBe('hello')
})

test('onSpeechStart is called once as each burst of speech begins, at the position where it begins', async () => {
  const { transport, calls } = scripted()
  const positions: number[] = []
  const { dictation } = dictate(3, {
    transport,
    onSpeechStart: () => positions.push(dictation.getSnapshot().segments.length),
  })
  await dictation.start()
  for (let i = 0; i < 3; i++) {
    await until(() => calls.length > i)
    calls[i]!.answer('x')
  }
  await dictation.stop()
  // Three bursts, three starts; each before its own segment was cut (0, 1 and 2 segments so far).
  expect(positions).toEqual([0, 1, 2])
})

test('offline waits cost no retries: after two network failures a 503 is still retried', async () => {
  const { transport, calls } = scripted()
  const { dictation } = dictate(1, { transport, retries: 1 })
  await dictation.start()
  await until(() => calls.length === 1)
  calls[0]!.fail(new VoiceError('network', 'offline'))
  await until(() => calls.length === 2)
  calls[1]!.fail(new VoiceError('network', 'offline'))
  await until(() => calls.length === 3)
  calls[2]!.fail(new VoiceError('provider_unavailable', 'busy', { status: 503 }))
  // Its one retry is still there: the segment is sent again instead of failing.
  await until(() => calls.length === 4)
  calls[3]!.answer('kept')
  await dictation.stop()
  expect(dictation.getSnapshot()).toMatchObject({ status: 'done', text: 'kept', error: null })
  expect(dictation.getSnapshot().segments[0]!.attempts).toBe(4)
})

test("every segment's request goes through the runner once, its retries inside", async () => {
  const { transport, calls } = scripted()
  const requests: { kind: string; variables: unknown }[] = []
  const { dictation } = dictate(2, {
    transport,
    runRequest: (request) => {
      requests.push({ kind: request.kind, variables: request.variables })
      return request.run()
    },
  })
  await dictation.start()
  await until(() => calls.length === 2)
  calls[0]!.fail(new VoiceError('provider_unavailable', 'busy', { status: 503 }))
  calls[1]!.answer('two')
  await until(() => calls.length === 3)
  calls[2]!.answer('one')
  await dictation.stop()
  expect(dictation.getSnapshot().text).toBe('one two')
  expect(requests.map((x) => x.kind)).toEqual(['transcribe', 'transcribe'])
  expect(requests.map((x) => (x.variables as { segment: number }).segment)).toEqual([0, 1])
})

test('stop keeps the whole recording as 16-bit PCM: no float copy of it is made', async () => {
  const { transport, calls } = scripted()
  const total = speechBursts(5).length
  const { dictation } = dictate(5, { transport, concurrency: 5 })
  await dictation.start()
  await until(() => dictation.getSnapshot().segments.length === 5)
  for (const call of calls) call.answer('x')
  // Count the float arrays as large as half the recording (a segment is a fifth) made while it stops.
  const Float = globalThis.Float32Array
  const large: number[] = []
  globalThis.Float32Array = new Proxy(Float, {
    construct(target, args) {
      const made = Reflect.construct(target, args) as Float32Array
      if (made.length >= total / 2) large.push(made.length)
      return made
    },
  })
  try {
    await dictation.stop()
  } finally {
    globalThis.Float32Array = Float
  }
  expect(large).toEqual([])
  // The samples are the captured ones, as 16-bit PCM after the header.
  const recording = dictation.getSnapshot().recording!
  const pcm = new Int16Array((await recording.arrayBuffer()).slice(44))
  expect(pcm.length).toBeGreaterThan(total / 2)
  const expected = speechBursts(5)
  for (const i of [0, 1000, Math.floor(pcm.length / 2), pcm.length - 1])
    expect(pcm[i]! / 32768).toBeCloseTo(expected[i]!, 3)
})

test('toggle starts, stops, and starts again; configure() is what the next start reads', async () => {
  const first = scripted()
  const second = scripted()
  const { dictation } = dictate(1, { transport: first.transport })
  dictation.toggle()
  await until(() => dictation.getSnapshot().status === 'recording')
  await until(() => first.calls.length === 1)
  first.calls[0]!.answer('first')
  dictation.toggle()
  await until(() => dictation.getSnapshot().status === 'done')
  dictation.configure({
    transport: second.transport,
    source: () => createSamplesPcm(speechBursts(1), { speed: Infinity }),
    language: 'fr',
  })
  dictation.toggle()
  await until(() => second.calls.length === 1)
  expect(first.calls).toHaveLength(1)
  second.calls[0]!.answer('second')
  await dictation.stop()
  expect(dictation.getSnapshot()).toMatchObject({ status: 'done', text: 'second' })
})

test('a runner that starts requests later (as a QueryClient does) still sends each segment once', async () => {
  const { transport, calls } = scripted()
  const dictation = createDictation({
    transport,
    concurrency: 3,
    runRequest: (request) => new Promise((resolve) => setTimeout(resolve, 5)).then(() => request.run()),
  })
  const second = new Float32Array(RATE)
  const parts = [0, 1, 2].map((index) => ({ index, start: index * 2 * RATE, samples: second }))
  const recovered = dictation.recover({ id: 'kept', savedAt: 0, seconds: 3, text: '', segments: parts })
  await until(() => calls.length >= 3)
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(calls).toHaveLength(3)
  for (const [i, call] of calls.entries()) call.answer(`w${i}`)
  await recovered
  expect(dictation.getSnapshot()).toMatchObject({ status: 'done', text: 'w0 w1 w2' })
  expect(calls).toHaveLength(3)
})
