// Real-time dictation in each engine: ElevenLabs Scribe realtime (and OpenAI Realtime) through the proxy's
// relay to the local speech server, whose pocketsphinx gives interim words while audio arrives. The
// speech server's real-time faults are armed through the test backend (a browser socket has no headers).
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { spyOnMicrophone, type TrackSpy } from '../../../../../test/browser/microphone'
import { createSamplesPcm } from '../../capture'
import { createElevenLabsTransport, createOpenAITransport } from '../../providers'
import {
  firstSentences,
  type LongFixture,
  longFixture,
  microphonePlaying,
  orderedRecall,
} from '../../test-support/dictation-fixture'
import type { SpeechTransport, StreamingTranscriptionSession } from '../../transport'
import { createDictation } from './controller'
import type { DictationState } from './types'

const engine = server.browser
/** The test backend's way to the speech server's real-time faults (test/browser/voice-backend.ts). */
const REALTIME_FAULTS = '/__test/realtime-faults'
const until = async (check: () => boolean, ms = 90_000) => {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Scribe realtime through the relay, counting the sockets it opens and the ones it closed. */
function scribe() {
  const transport = createElevenLabsTransport({ baseUrl: `${inject('voiceBaseUrl')}/elevenlabs`, realtime: true })
  const sockets: { closed: boolean }[] = []
  const watched: SpeechTransport = {
    ...transport,
    async openTranscriptionStream(options) {
      const session: StreamingTranscriptionSession = await transport.openTranscriptionStream(options)
      const socket = { closed: false }
      sockets.push(socket)
      return {
        ...session,
        sampleRate: session.sampleRate,
        send: (samples) => session.send(samples),
        commit: () => session.commit(),
        finish: () => session.finish(),
        close: () => {
          socket.closed = true
          session.close()
        },
      }
    },
  }
  return { transport: watched, sockets }
}

const arm = (fault: Record<string, unknown>) =>
  fetch(REALTIME_FAULTS, { method: 'POST', body: JSON.stringify(fault) }).then((answer) => {
    if (!answer.ok) throw new Error(`arming ${JSON.stringify(fault)}: ${answer.status}`)
  })

let fixture: LongFixture
let mic: TrackSpy
beforeEach(async () => {
  fixture ??= await longFixture()
  mic = spyOnMicrophone()
  await fetch(REALTIME_FAULTS, { method: 'DELETE' })
})
afterEach(() => mic.restore())

function record(dictation: ReturnType<typeof createDictation>) {
  const states: DictationState[] = []
  dictation.subscribe(() => states.push(dictation.getSnapshot()))
  return states
}

describe(`real-time dictation in ${engine}`, { timeout: 180_000 }, () => {
  test('from the microphone: interim words while speaking, then final text in order; stop waits for the last final; socket and microphone released', async () => {
    const { samples, words } = firstSentences(fixture, 3)
    const restoreMic = microphonePlaying(samples)
    try {
      const { transport, sockets } = scribe()
      const dictation = createDictation({ transport })
      const states = record(dictation)
      await dictation.start()
      expect(dictation.getSnapshot().mode).toBe('realtime')
      await until(() => dictation.getSnapshot().text.includes('kitchen'))
      expect(dictation.getSnapshot().status).toBe('recording')
      const playedMs = (samples.length / 16_000) * 1000 + 1000
      await until(() => dictation.getSnapshot().durationMs >= playedMs)
      await dictation.stop()
      const s = dictation.getSnapshot()
      expect(s.status).toBe('done')
      expect(s.interim).toBe('')
      expect(orderedRecall(words, s.text), s.text).toBeGreaterThanOrEqual(0.7)
      // Every segment's text came from its final on the socket (none went another way).
      expect(sockets).toHaveLength(1)
      expect(sockets[0]!.closed).toBe(true)
      expect(mic.live()).toEqual([])
      // Interim text came before the final text it turned into, and the text only grew at its end.
      const firstInterim = states.findIndex((x) => x.interim !== '')
      const firstFinal = states.findIndex((x) => x.text !== '')
      expect(firstInterim).toBeLessThan(firstFinal)
      const texts = [...new Set(states.map((x) => x.text))]
      for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true)
    } finally {
      restoreMic()
    }
  })

  test('a socket dropped mid-dictation (no close frame) loses no words: the link reconnects, what was not final goes another way', async () => {
    const { samples, words } = firstSentences(fixture, 4)
    // Four frames of 250 ms: the first socket goes in the middle of the second sentence.
    await arm({ drop_after_frames: 16, provider: 'elevenlabs' })
    const { transport, sockets } = scribe()
    const dictation = createDictation({ transport, source: () => createSamplesPcm(samples, { speed: 2 }) })
    await dictation.start()
    await until(() => sockets.length >= 2)
    await until(() => dictation.getSnapshot().status === 'transcribing' || dictation.getSnapshot().status === 'done')
    await dictation.stop()
    const s = dictation.getSnapshot()
    expect(s.status).toBe('done')
    expect(orderedRecall(words, s.text), s.text).toBeGreaterThanOrEqual(0.7)
    expect(s.segments.every((x) => x.status === 'done')).toBe(true)
  })

  test('a provider error event that ends the session is one typed error, in the provider’s words', async () => {
    await arm({
      provider: 'elevenlabs',
      after_frames: 2,
      error_event: { message_type: 'quota_exceeded', error: 'You have used up your quota' },
      close: { code: 1008, reason: 'quota exceeded' },
    })
    const { transport } = scribe()
    const { samples } = firstSentences(fixture, 1)
    const dictation = createDictation({ transport, source: () => createSamplesPcm(samples, { speed: 4 }) })
    await dictation.start()
    await until(() => dictation.getSnapshot().status === 'error' || dictation.getSnapshot().status === 'done')
    await dictation.stop()
    const s = dictation.getSnapshot()
    // Either the segment was transcribed over HTTP after real time ended, or the dictation says why it could not.
    if (s.status === 'error') {
      expect(s.error?.code).toBe('quota_exceeded')
      expect(s.error?.message).toContain('quota')
    } else expect(s.text).toContain('kitchen')
  })

  test('cancel closes the socket and releases the microphone', async () => {
    const restoreMic = microphonePlaying(firstSentences(fixture, 2).samples)
    try {
      const { transport, sockets } = scribe()
      const dictation = createDictation({ transport })
      await dictation.start()
      await until(() => sockets.length === 1 && dictation.getSnapshot().interim !== '')
      dictation.cancel()
      // Released as cancel runs, or once the socket that was still opening resolves: events, not time.
      await until(() => sockets.every((x) => x.closed) && mic.live().length === 0, 30_000)
      expect(dictation.getSnapshot()).toMatchObject({ status: 'idle', text: '', interim: '' })
    } finally {
      restoreMic()
    }
  })

  test('OpenAI Realtime (transcription) through the relay: 24 kHz audio, manual commits at the pauses, the text in order', async () => {
    const { samples, words } = firstSentences(fixture, 2)
    const transport = createOpenAITransport({ baseUrl: `${inject('voiceBaseUrl')}/openai`, realtime: true })
    const dictation = createDictation({ transport, source: () => createSamplesPcm(samples, { speed: 2 }) })
    await dictation.start()
    expect(dictation.getSnapshot().mode).toBe('realtime')
    await until(() => dictation.getSnapshot().status !== 'recording')
    await dictation.stop()
    const s = dictation.getSnapshot()
    expect(s.status).toBe('done')
    expect(orderedRecall(words, s.text), s.text).toBeGreaterThanOrEqual(0.7)
  })
})
