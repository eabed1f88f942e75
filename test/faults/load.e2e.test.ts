// Load on loopback, bounded in count and time: 500 concurrent transcriptions and 200 concurrent speech
// streams through the proxy, twice over. Zero errors, nothing left open, and memory flat afterwards.
//
// Speech-to-text goes to the real speech server with 50 ms WAVs of silence: its full Dify route (multipart
// parsing, WAV decoding) runs, and below 0.1 s it answers without starting pocketsphinx (which needs 1–2 s a
// run on two cores: 500 runs would measure pocketsphinx, not the proxy). Beside the speech streams, each
// round sends the fixture phrases, which pocketsphinx does recognise: every answer must be its own
// request's words (the phrase for a phrase, nothing for silence), so a stub or crossed answers fail. Text-to-speech comes from a small
// upstream streaming a real MP3 in 4 KiB chunks: Flite synthesises ~10 sentences a second here, so 200
// real syntheses would take the test's whole budget; the proxy and transport paths are the same.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createDifyTransport } from '@voicekit/core'
import { createFishTransport } from '@voicekit/core/fish'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type SpeechServer, startSpeechServer } from '../../apps/speech-server/src/server.ts'
import {
  type CustomUpstream,
  deadline,
  drain,
  fixture,
  type ProxyFront,
  startCustomUpstream,
  startProxies,
  tinyWav,
  waitUntil,
} from './support.ts'

const KEY = 'sk-load-KEYCANARY-90d1'
/** Fixture phrases sent in every round, and what the speech server's pocketsphinx hears in them. */
const SPOKEN = [
  { file: 'kitchen-lights.wav', text: 'please turn on the kitchen lights' },
  { file: 'weather.wav', text: 'what is the weather like today' },
]
const TRANSCRIPTIONS = 500
const SPEECHES = 200
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 2)
const MiB = 1024 * 1024

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

let speech: SpeechServer
let custom: CustomUpstream
let front: ProxyFront

beforeAll(async () => {
  speech = await startSpeechServer({ port: 0, apiKey: KEY })
  custom = await startCustomUpstream(KEY)
  const providers = {
    dify: { apiKey: KEY, baseUrl: `${speech.url}/dify/v1` },
    fish: { apiKey: KEY, baseUrl: `${custom.url}/fish` },
  }
  // The same proxy on both of its paths on Node: its own sockets, and the Fetch path (which a handler
  // with an app-given fetch takes).
  front = await startProxies([
    { basePath: '/node', providers, timeoutMs: 30_000 },
    {
      basePath: '/fetch',
      providers,
      timeoutMs: 30_000,
      fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init),
    },
  ])
})

afterAll(async () => {
  await front?.close()
  await custom?.close()
  await speech?.close()
})

async function memory() {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const { heapUsed, rss } = process.memoryUsage()
  return { heapMiB: heapUsed / MiB, rssMiB: rss / MiB }
}

test.each(['node', 'fetch'])(
  `on the %s path: ${TRANSCRIPTIONS} concurrent transcriptions and ${SPEECHES} concurrent speech streams, ${ROUNDS} rounds: no error, memory flat`,
  async (io) => {
    const stt = createDifyTransport({ baseUrl: `${front.url}/${io}/dify`, timeoutMs: 60_000 })
    const tts = createFishTransport({ baseUrl: `${front.url}/${io}/fish`, timeoutMs: 60_000 })
    const mp3Bytes = fixture('three-sentences.mp3').length
    const errors: unknown[] = []

    const transcribe = (audio: Blob) =>
      stt.transcribe!(audio).then(
        (transcript) => transcript.text,
        (error: unknown) => void errors.push(error),
      )

    async function round(transcriptions: number, speeches: number) {
      const started = performance.now()
      const texts = await Promise.all(Array.from({ length: transcriptions }, () => transcribe(tinyWav())))
      const sttMs = performance.now() - started
      const streamsStarted = performance.now()
      // The phrases go out beside the speech streams (pocketsphinx beside the 500 silences would be a
      // test of two cores, not of the proxy).
      const recognised = Promise.all(SPOKEN.map((s) => transcribe(new Blob([fixture(s.file)], { type: 'audio/wav' }))))
      const lengths = await Promise.all(
        Array.from({ length: speeches }, async () => {
          try {
            const read = await drain((await tts.speak!('Hello there.')).body)
            if (read.error !== undefined) errors.push(read.error)
            return read.bytes
          } catch (error) {
            errors.push(error)
            return -1
          }
        }),
      )
      const ttsMs = performance.now() - streamsStarted
      const failures = () =>
        errors
          .map((error) => String(error))
          .slice(0, 3)
          .join('; ')
      expect(await recognised, failures()).toEqual(SPOKEN.map((s) => s.text))
      expect(
        texts.filter((text) => text === ''),
        failures(),
      ).toHaveLength(transcriptions)
      expect(
        lengths.filter((length) => length === mp3Bytes),
        `lengths other than ${mp3Bytes}: ${lengths.filter((length) => length !== mp3Bytes).join(', ')}; ${failures()}`,
      ).toHaveLength(speeches)
      return { sttMs: Math.round(sttMs), ttsMs: Math.round(ttsMs) }
    }

    await deadline(round(50, 20), 60_000, 'warm-up')
    const before = await memory()
    const timings: { sttMs: number; ttsMs: number }[] = []
    const after: { heapMiB: number; rssMiB: number }[] = []
    for (let i = 0; i < ROUNDS; i++) {
      timings.push(await deadline(round(TRANSCRIPTIONS, SPEECHES), 90_000, `round ${i + 1}`))
      // The limit only ends a hang: idle is the event.
      await waitUntil(() => speech.activeRequests() === 0 && custom.active() === 0, 30_000, 'upstreams idle')
      after.push(await memory())
    }
    const fmt = (m: { heapMiB: number; rssMiB: number }) =>
      `heap ${m.heapMiB.toFixed(1)} MiB, rss ${m.rssMiB.toFixed(1)} MiB`
    console.log(
      `load on the ${io} path: ${ROUNDS} × (${TRANSCRIPTIONS} transcriptions + ${SPEECHES} speech streams), errors ${errors.length}\n` +
        `  timings ${JSON.stringify(timings)}\n  before  ${fmt(before)}\n` +
        after.map((m, i) => `  round ${i + 1} ${fmt(m)}`).join('\n'),
    )
    expect(errors).toEqual([])
    const last = after.at(-1)!
    // Flat: what the rounds leave behind is small against what they moved (~1000 requests, ~25 MB of audio).
    expect(last.heapMiB - before.heapMiB).toBeLessThan(16)
    // And the second round adds nothing the first did not (no per-request leak).
    expect(last.heapMiB - after[0]!.heapMiB).toBeLessThan(8)
    expect(last.rssMiB - before.rssMiB).toBeLessThan(200)
  },
  180_000,
)
