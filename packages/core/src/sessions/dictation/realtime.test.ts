// Real-time dictation's logic in Node: audio from samples, a streaming transport whose sockets the test
// drives by hand (interim, final, a drop). The browser tests run it against the real speech server.
import { expect, test } from 'vitest'
import { createSamplesPcm, type PcmSink, type PcmSource } from '../../capture/pcm'
import { VoiceError } from '../../errors'
import { speechBursts } from '../../test-support/speech-bursts'
import type { StreamingTranscriptionEvent, StreamingTranscriptionOptions } from '../../transport/streaming'
import type { SpeechTransport, Transcript } from '../../transport/types'
import { createDictation } from './controller'
import type { DictationOptions, DictationState } from './types'

interface FakeSocket {
  /** Samples received, and the count at each commit. */
  sent: number
  commits: number[]
  open: boolean
  say(event: StreamingTranscriptionEvent): void
  drop(error?: VoiceError): void
}

interface Upload {
  bytes: number
  answer(text: string): void
}

/** A streaming transport (with an HTTP `transcribe` unless `http: false`) driven by the test. */
function streaming({ http = true } = {}) {
  const sockets: FakeSocket[] = []
  const uploads: Upload[] = []
  const transport: SpeechTransport = {
    provider: 'scripted',
    input: { mimeTypes: ['audio/wav'], maxBytes: 10_000_000 },
    async openTranscriptionStream(options: StreamingTranscriptionOptions) {
      const socket: FakeSocket = {
        sent: 0,
        commits: [],
        open: true,
        say: (event) => {
          if (socket.open) options.onEvent(event)
        },
        drop: (error = new VoiceError('network', 'gone', { retryable: true })) => {
          socket.say({ type: 'closed', code: 1006, reason: '', error })
          socket.open = false
        },
      }
      sockets.push(socket)
      return {
        sampleRate: 16_000,
        send: (samples) => {
          if (socket.open) socket.sent += samples.length
        },
        commit: () => {
          if (socket.open) socket.commits.push(socket.sent)
        },
        finish: async () => {
          socket.open = false
        },
        close: () => {
          socket.open = false
        },
      }
    },
    ...(http && {
      transcribe: (audio: Blob) =>
        new Promise<Transcript>((resolve) =>
          uploads.push({
            bytes: audio.size,
            answer: (text) => resolve({ text, segments: [], provider: 'scripted', raw: null }),
          }),
        ),
    }),
  }
  return { transport, sockets, uploads }
}

const until = async (check: () => boolean, ms = 5000) => {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** A PCM source the test feeds chunk by chunk (100 ms each), so what happens between two chunks is its choice. */
function fedByHand() {
  let sink: PcmSink | undefined
  const source: PcmSource = {
    async start(target) {
      sink = target
    },
    async stop() {},
    cancel() {
      sink = undefined
    },
  }
  return {
    source,
    give(samples: Float32Array) {
      for (let at = 0; at < samples.length; at += 1600) sink?.samples(samples.slice(at, at + 1600))
    },
    end: () => sink?.ended?.(),
  }
}

function dictate(audio: Float32Array, options: Partial<DictationOptions> & Pick<DictationOptions, 'transport'>) {
  const dictation = createDictation({
    source: () => createSamplesPcm(audio, { speed: Number.POSITIVE_INFINITY }),
    retryDelayMs: 10,
    ...options,
  })
  const states: DictationState[] = []
  dictation.subscribe(() => states.push(dictation.getSnapshot()))
  return { dictation, states }
}

test('every sample streams to one socket, committed at each pause; interim words, then finals stitched in order; stop waits for the last final', async () => {
  const { transport, sockets, uploads } = streaming()
  const audio = speechBursts(3)
  const { dictation, states } = dictate(audio, { transport })
  await dictation.start()
  expect(dictation.getSnapshot().mode).toBe('realtime')
  await until(() => sockets[0]?.commits.length === 3)
  const socket = sockets[0]!
  // Each commit after its burst's speech: burst k ends at 1.5 + 2k s.
  for (const [k, at] of socket.commits.entries()) expect(at / 16_000).toBeGreaterThan(1.5 + 2 * k)
  socket.say({ type: 'interim', text: 'on' })
  expect(dictation.getSnapshot().interim).toBe('on')
  socket.say({ type: 'final', text: ' one ' })
  await until(() => dictation.getSnapshot().text === 'one')
  expect(dictation.getSnapshot().interim).toBe('')
  socket.say({ type: 'final', text: 'two' })
  let settled = false
  const stopped = dictation.stop().then(() => {
    settled = true
  })
  await until(() => dictation.getSnapshot().text === 'one two')
  expect(settled).toBe(false) // the last final is still due
  expect(dictation.getSnapshot().status).toBe('transcribing')
  socket.say({ type: 'final', text: 'three' })
  await stopped
  const s = dictation.getSnapshot()
  expect(s.status).toBe('done')
  expect(s.text).toBe('one two three')
  expect(s.transcript?.segments.map((x) => x.text)).toEqual(['one', 'two', 'three'])
  expect(uploads).toHaveLength(0)
  expect(socket.sent).toBe((s.recording!.size - 44) / 2) // every sample recorded
  expect(socket.open).toBe(false)
  // Interim text came before the first final, and the text only grew at its end.
  const first = states.findIndex((x) => x.text === 'one')
  expect(states.findIndex((x) => x.interim === 'on')).toBeLessThan(first)
  const texts = [...new Set(states.map((x) => x.text))]
  for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true)
})

test('a socket that drops: the segments waiting for their finals are sent as segments over HTTP, a new socket takes the rest, nothing lost', async () => {
  const { transport, sockets, uploads } = streaming()
  const { dictation } = dictate(speechBursts(3), { transport })
  await dictation.start()
  await until(() => sockets[0]?.commits.length === 3)
  sockets[0]!.say({ type: 'final', text: 'one' })
  sockets[0]!.drop()
  // Two segments were waiting: each goes as a WAV of its own.
  await until(() => uploads.length === 2)
  for (const upload of uploads) expect(upload.bytes).toBeGreaterThan(44 + 16_000 * 2)
  uploads[1]!.answer('three')
  uploads[0]!.answer('two')
  await dictation.stop()
  expect(dictation.getSnapshot().status).toBe('done')
  expect(dictation.getSnapshot().text).toBe('one two three')
  // Capture had ended, yet the link reconnected for what could still come; it is closed now.
  expect(sockets.every((x) => !x.open)).toBe(true)
})

test('a socket that drops mid-utterance: that utterance is sent whole another way, and the next socket is live from then on', async () => {
  const { transport, sockets, uploads } = streaming()
  const audio = speechBursts(4)
  const feed = fedByHand()
  const dictation = createDictation({ source: () => feed.source, transport, retryDelayMs: 10 })
  await dictation.start()
  const second = 16_000
  feed.give(audio.subarray(0, 2.5 * second)) // the first burst and its pause
  await until(() => sockets[0]?.commits.length === 1)
  sockets[0]!.say({ type: 'final', text: 'one' })
  feed.give(audio.subarray(2.5 * second, 3 * second)) // half the second burst
  sockets[0]!.drop()
  feed.give(audio.subarray(3 * second)) // the rest, while the link reconnects
  feed.end()
  // The utterance in progress when it dropped reached no socket whole: it goes as a segment over HTTP, and
  // the audio held for the next socket starts after it.
  await until(() => uploads.length === 1)
  uploads[0]!.answer('two')
  await until(() => sockets.length === 2 && sockets[1]!.commits.length === 2)
  expect(sockets[1]!.commits).toEqual([2 * second, 4 * second].map((x) => expect.closeTo(x, -3)))
  sockets[1]!.say({ type: 'final', text: 'three' })
  sockets[1]!.say({ type: 'final', text: 'four' })
  await dictation.stop()
  expect(dictation.getSnapshot().text).toBe('one two three four')
  expect(uploads).toHaveLength(1)
})

test('a transport that only streams: a segment whose socket dropped is transcribed on a socket of its own', async () => {
  const { transport, sockets } = streaming({ http: false })
  const { dictation } = dictate(speechBursts(2), { transport })
  await dictation.start()
  await until(() => sockets[0]?.commits.length === 2)
  sockets[0]!.say({ type: 'final', text: 'one' })
  sockets[0]!.drop()
  // The reconnect, and the segment's own socket: the one holding a single commit of its samples.
  await until(() => sockets.some((x, i) => i > 0 && x.commits.length === 1 && x.sent === x.commits[0]))
  const own = sockets.find((x, i) => i > 0 && x.commits.length === 1 && x.sent === x.commits[0])!
  expect(own.sent).toBeGreaterThan(16_000)
  own.say({ type: 'final', text: 'two' })
  await dictation.stop()
  expect(dictation.getSnapshot().text).toBe('one two')
  expect(own.open).toBe(false)
})

test('a provider that refuses the key ends real time: one typed error, no reconnect loop', async () => {
  const { transport, sockets } = streaming()
  const { dictation } = dictate(speechBursts(1), { transport })
  await dictation.start()
  await until(() => sockets[0]?.commits.length === 1)
  sockets[0]!.drop(new VoiceError('unauthorized', 'Invalid API key', { status: 401, retryable: false }))
  await dictation.stop()
  const s = dictation.getSnapshot()
  expect(s.status).toBe('error')
  expect(s.error?.code).toBe('unauthorized')
  expect(s.error?.message).toBe('Invalid API key')
  expect(sockets).toHaveLength(1)
})

test('cancel closes the socket and nothing more is reported', async () => {
  const { transport, sockets } = streaming()
  const { dictation } = dictate(speechBursts(2), { transport })
  await dictation.start()
  await until(() => sockets[0]?.commits.length === 2)
  dictation.cancel()
  expect(sockets[0]!.open).toBe(false)
  sockets[0]!.say({ type: 'final', text: 'late' })
  expect(dictation.getSnapshot()).toMatchObject({ status: 'idle', text: '', interim: '' })
})

test('mode: realtime by default for a streaming transport, continuous when asked (segments over HTTP)', async () => {
  const { transport, sockets, uploads } = streaming()
  const { dictation } = dictate(speechBursts(1), { transport, mode: 'continuous' })
  await dictation.start()
  expect(dictation.getSnapshot().mode).toBe('continuous')
  await until(() => uploads.length === 1)
  uploads[0]!.answer('one')
  await dictation.stop()
  expect(dictation.getSnapshot().text).toBe('one')
  expect(sockets).toHaveLength(0)
})

test('a commit whose transcription failed (a final with an error) is sent another way, in its place', async () => {
  const { transport, sockets, uploads } = streaming()
  const { dictation } = dictate(speechBursts(2), { transport })
  await dictation.start()
  await until(() => sockets[0]?.commits.length === 2)
  sockets[0]!.say({
    type: 'final',
    text: '',
    error: new VoiceError('provider_unavailable', 'transcription failed', { retryable: true }),
  })
  sockets[0]!.say({ type: 'final', text: 'two' })
  await until(() => uploads.length === 1)
  uploads[0]!.answer('one')
  await dictation.stop()
  expect(dictation.getSnapshot().text).toBe('one two')
})
