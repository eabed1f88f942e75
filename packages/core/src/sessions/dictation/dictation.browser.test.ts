// Continuous dictation in each engine, against the local speech server through the proxy: the
// microphone through the AudioWorklet, the long fixture, faults, offline, reload recovery, cancel.
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { spyOnMicrophone, type TrackSpy } from '../../../../../test/browser/microphone'
import { createSamplesPcm, encodeWav } from '../../capture'
import { VoiceError } from '../../errors'
import { createDifyTransport } from '../../providers'
import {
  firstSentences,
  type LongFixture,
  longFixture,
  microphonePlaying,
  orderedRecall,
  spyOnAudioContexts,
} from '../../test-support/dictation-fixture'
import type { SpeechTransport } from '../../transport'
import { createDictation } from './controller'
import { loadSavedDictations } from './saved'

const engine = server.browser
const until = async (check: () => boolean, ms = 90_000) => {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Dify through the proxy, with a fault header chosen per request (by its order). */
function dify(faults: (call: number) => string | undefined = () => undefined) {
  let call = 0
  const requests: { fault: string | undefined; bytes: number }[] = []
  const transport = createDifyTransport({
    baseUrl: `${inject('voiceBaseUrl')}/dify`,
    // Far above what pocketsphinx needs for a sentence, even on a loaded machine.
    timeoutMs: 170_000,
    headers: (): Record<string, string> => {
      const fault = faults(call++)
      return fault ? { 'x-speech-fault': fault } : {}
    },
  })
  const watched: SpeechTransport = {
    ...transport,
    async transcribe(audio, options) {
      requests.push({ fault: undefined, bytes: audio.size })
      return transport.transcribe!(audio, options)
    },
  }
  return { transport: watched, requests }
}

let fixture: LongFixture
let mic: TrackSpy
beforeEach(async () => {
  fixture ??= await longFixture()
  mic = spyOnMicrophone()
})
afterEach(() => mic.restore())

// Each case waits for pocketsphinx on a shared machine: generous deadlines, events rather than time.
describe(`continuous dictation in ${engine}`, { timeout: 180_000 }, () => {
  test('from the microphone through the AudioWorklet: words while speaking, in order; microphone and AudioContexts released', async () => {
    const { samples, words } = firstSentences(fixture, 3)
    const restoreMic = microphonePlaying(samples)
    const contexts = spyOnAudioContexts()
    try {
      const { transport } = dify()
      const dictation = createDictation({ transport })
      await dictation.start()
      expect(dictation.getSnapshot().status).toBe('recording')
      expect(dictation.getSnapshot().mode).toBe('continuous')
      // The first sentence's words arrive while the microphone is still recording.
      await until(() => dictation.getSnapshot().text.includes('kitchen'))
      expect(dictation.getSnapshot().status).toBe('recording')
      // Stop once the three sentences have been played in full (not merely cut into three
      // segments: under load a pause inside a sentence can make a third segment early).
      const playedMs = (samples.length / 16_000) * 1000 + 1500
      await until(() => dictation.getSnapshot().segments.length >= 3 && dictation.getSnapshot().durationMs >= playedMs)
      await dictation.stop()
      const s = dictation.getSnapshot()
      expect(s.status).toBe('done')
      expect(orderedRecall(words, s.text), s.text).toBeGreaterThanOrEqual(0.7)
      expect(s.segments.length).toBeGreaterThanOrEqual(3)
      expect(s.recording?.type).toBe('audio/wav')
      expect(mic.live()).toEqual([])
      await until(() => contexts.contexts.every((c) => c.state === 'closed'), 5000)
      expect(contexts.contexts.length).toBeGreaterThan(0)
    } finally {
      contexts.restore()
      restoreMic()
    }
  })

  test('cancel while recording and while requests are in flight: every request aborted, microphone and AudioContexts released', async () => {
    const contexts = spyOnAudioContexts()
    try {
      const signals: AbortSignal[] = []
      const { transport } = dify(() => 'delay=20000')
      const dictation = createDictation({
        transport: {
          ...transport,
          transcribe: (audio, options) => {
            if (options?.signal) signals.push(options.signal)
            return transport.transcribe!(audio, options)
          },
        },
        concurrency: 3,
      })
      // Cancelled while recording from the microphone: released at once.
      await dictation.start()
      dictation.cancel()
      expect(mic.live()).toEqual([])
      await until(() => contexts.contexts.every((c) => c.state === 'closed'), 5000)
      const busy = createDictation({
        transport: {
          ...transport,
          transcribe: (audio, options) => {
            if (options?.signal) signals.push(options.signal)
            return transport.transcribe!(audio, options)
          },
        },
        concurrency: 3,
        source: () => createSamplesPcm(firstSentences(fixture, 4).samples, { speed: Infinity }),
      })
      await busy.start()
      await until(() => signals.length === 3)
      const t0 = Date.now()
      busy.cancel()
      expect(signals.map((x) => x.aborted)).toEqual([true, true, true])
      expect(busy.getSnapshot().status).toBe('idle')
      expect(Date.now() - t0).toBeLessThan(1000)
    } finally {
      contexts.restore()
    }
  })

  test('the long fixture (twenty sentences) gives complete text in order, recall ≥ the single-file upload of the same audio', async () => {
    const { transport } = dify()
    const dictation = createDictation({ transport, source: () => createSamplesPcm(fixture.samples, { speed: 8 }) })
    await dictation.start()
    await until(() => dictation.getSnapshot().segments.length >= 20)
    await dictation.stop()
    const s = dictation.getSnapshot()
    expect(s.status).toBe('done')
    expect(s.segments).toHaveLength(20)
    const continuous = orderedRecall(fixture.words, s.text)
    // The same audio as one file, the way single-file mode sends it.
    const single = await transport.transcribe!(new Blob([encodeWav(fixture.samples)], { type: 'audio/wav' }))
    const whole = orderedRecall(fixture.words, single.text)
    console.info(`${engine}: recall continuous ${continuous.toFixed(3)}, single file ${whole.toFixed(3)}`)
    expect(continuous).toBeGreaterThanOrEqual(whole)
    expect(continuous).toBeGreaterThanOrEqual(0.8)
    // Timestamps on the recording's clock: each sentence's segment starts near the sentence.
    for (const [i, sentence] of fixture.sentences.entries()) {
      expect(Math.abs(s.segments[i]!.start - sentence.start)).toBeLessThan(0.5)
    }
    expect(s.transcript?.segments.every((x, i, all) => i === 0 || x.start >= all[i - 1]!.start)).toBe(true)
  }, 400_000) // pocketsphinx on 70 s of audio twice: about 30 s on a quiet machine, minutes on a loaded one

  test('one segment answered 503 is retried by itself and lands in its place; out-of-order answers are stitched in order', async () => {
    // Request 1 (the second segment) fails once with 503; request 0 is held 3 s so later ones answer first.
    const { transport } = dify((call) => (call === 1 ? 'status=503' : call === 0 ? 'delay=3000' : undefined))
    const part = firstSentences(fixture, 4)
    const dictation = createDictation({
      transport,
      concurrency: 4,
      retryDelayMs: 200,
      source: () => createSamplesPcm(part.samples, { speed: Infinity }),
    })
    const texts: string[] = []
    dictation.subscribe(() => texts.push(dictation.getSnapshot().text))
    await dictation.start()
    await until(() => dictation.getSnapshot().segments.length === 4)
    await dictation.stop()
    const s = dictation.getSnapshot()
    expect(s.status).toBe('done')
    // The 503'd segment went twice and landed in its place. (Another segment may also go twice if
    // a loaded machine makes the proxy time out: that too is a retryable failure, retried.)
    expect(s.segments[1]!.attempts).toBeGreaterThanOrEqual(2)
    expect(s.segments.every((x) => x.status === 'done')).toBe(true)
    expect(s.segments[1]!.text).toContain('weather')
    expect(orderedRecall(part.words, s.text), s.text).toBeGreaterThanOrEqual(0.8)
    // While request 0 was held, nothing later showed: the text only grew at its end.
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true)
  })

  test('offline for 10 s mid-dictation: segments wait, then go when the connection returns, nothing lost', async () => {
    const { transport } = dify()
    let offline = false
    const offlineCalls: number[] = []
    const flaky: SpeechTransport = {
      ...transport,
      transcribe(audio, options) {
        if (offline) {
          offlineCalls.push(Date.now())
          return Promise.reject(new VoiceError('network', 'Failed to fetch (offline)', { provider: 'dify' }))
        }
        return transport.transcribe!(audio, options)
      },
    }
    const part = firstSentences(fixture, 6)
    const dictation = createDictation({
      transport: flaky,
      retryDelayMs: 500,
      source: () => createSamplesPcm(part.samples, { speed: 2 }),
    })
    await dictation.start()
    await until(() => dictation.getSnapshot().text.length > 0)
    offline = true
    dispatchEvent(new Event('offline'))
    const wentOffline = Date.now()
    await until(() => dictation.getSnapshot().offline)
    await new Promise((resolve) => setTimeout(resolve, 10_000 - (Date.now() - wentOffline)))
    const during = dictation.getSnapshot()
    expect(during.pending).toBeGreaterThan(0)
    offline = false
    dispatchEvent(new Event('online'))
    await dictation.stop()
    const s = dictation.getSnapshot()
    expect(s.status).toBe('done')
    expect(s.segments).toHaveLength(6)
    expect(offlineCalls.length).toBeGreaterThan(0)
    expect(orderedRecall(part.words, s.text), s.text).toBeGreaterThanOrEqual(0.8)
  })

  test('reload recovery: segments not transcribed are in IndexedDB and transcribed by the next page', async () => {
    const part = firstSentences(fixture, 3)
    // The first page: its requests never complete (the page goes away mid-dictation).
    const hanging: SpeechTransport = {
      provider: 'dify',
      input: dify().transport.input,
      transcribe: (_audio, options) =>
        new Promise((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => reject(new VoiceError('aborted'))),
        ),
    }
    const first = createDictation({
      transport: hanging,
      persist: true,
      source: () => createSamplesPcm(part.samples, { speed: Infinity }),
    })
    await first.start()
    await until(() => first.getSnapshot().segments.length === 3)
    const session = first.getSnapshot().session
    // The next page: a fresh controller, reading the real IndexedDB.
    let saved = await loadSavedDictations()
    for (let i = 0; i < 50 && !saved.find((x) => x.id === session && x.segments.length === 3); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      saved = await loadSavedDictations()
    }
    const mine = saved.find((x) => x.id === session)
    expect(mine?.segments.map((x) => x.index)).toEqual([0, 1, 2])
    const { transport } = dify()
    const next = createDictation({ transport })
    await next.recover(mine!)
    expect(next.getSnapshot().status).toBe('done')
    expect(orderedRecall(part.words, next.getSnapshot().text)).toBeGreaterThanOrEqual(0.8)
    // Transcribed: no longer kept.
    expect((await loadSavedDictations()).find((x) => x.id === session)).toBeUndefined()
  })

  test('reload recovery keeps what was already transcribed: the whole text in order, only the rest sent again', async () => {
    const part = firstSentences(fixture, 3)
    // The first page: its first segment is transcribed, the other two are still in flight when it goes away.
    let calls = 0
    const firstPage: SpeechTransport = {
      provider: 'dify',
      input: dify().transport.input,
      transcribe: (_audio, options) =>
        calls++ === 0
          ? Promise.resolve({ text: 'already seen', segments: [], provider: 'dify', raw: null })
          : new Promise((_resolve, reject) =>
              options?.signal?.addEventListener('abort', () => reject(new VoiceError('aborted'))),
            ),
    }
    const first = createDictation({
      transport: firstPage,
      persist: true,
      concurrency: 3,
      source: () => createSamplesPcm(part.samples, { speed: Infinity }),
    })
    await first.start()
    await until(() => first.getSnapshot().segments.length === 3 && first.getSnapshot().text === 'already seen')
    const session = first.getSnapshot().session
    const complete = (x: Awaited<ReturnType<typeof loadSavedDictations>>[number] | undefined) =>
      x?.segments.length === 3 && x.text === 'already seen'
    let saved = await loadSavedDictations()
    for (let i = 0; i < 100 && !complete(saved.find((x) => x.id === session)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      saved = await loadSavedDictations()
    }
    const mine = saved.find((x) => x.id === session)
    expect(mine?.segments.map((x) => ('samples' in x ? 'audio' : 'text'))).toEqual(['text', 'audio', 'audio'])
    expect(mine?.text).toBe('already seen')
    // The next page: only the audio is sent; the text comes back in its place, first.
    const { transport, requests } = dify()
    const next = createDictation({ transport })
    await next.recover(mine!)
    expect(requests).toHaveLength(2)
    const { status, text } = next.getSnapshot()
    expect(status).toBe('done')
    expect(text.startsWith('already seen ')).toBe(true)
    const rest = firstSentences(fixture, 3).words.slice(firstSentences(fixture, 1).words.length)
    expect(orderedRecall(rest, text)).toBeGreaterThanOrEqual(0.6)
    expect((await loadSavedDictations()).find((x) => x.id === session)).toBeUndefined()
    first.dispose()
  })
})
