// An in-browser SpeechTransport for stories and tests: no server. Scripted latency and
// failures, a transcript with segments, and speech streamed in slices from a bundled MP3.
import {
  type AudioStream,
  type SpeechTransport,
  type StreamingTranscriptionEvent,
  type StreamingTranscriptionOptions,
  type Transcript,
  VoiceError,
  type VoiceErrorCode,
} from '@voicekit/core'
import speechUrl from '../../../../fixtures/speech/three-sentences.mp3?url'

export interface FakeTransportOptions {
  /** Milliseconds before a transcript, or before speech's first bytes. Default 300. */
  latencyMs?: number
  /** One entry per transcribe call, in order: a code makes that call fail, null lets it succeed. */
  transcribeErrors?: (VoiceErrorCode | null)[]
  /** One entry per speak call, in order. */
  speakErrors?: (VoiceErrorCode | null)[]
  transcript?: Partial<Transcript>
  /** The MP3 speak streams. Default: three sentences (about 5 s). */
  audioUrl?: string
  /** Bytes per slice and milliseconds between slices of the speech stream. Default 4096 B every 40 ms. */
  chunkBytes?: number
  chunkDelayMs?: number
  /**
   * Real-time transcription too (`openTranscriptionStream`): one more word of the transcript is heard
   * every `msPerWord` of audio received (interim), and the words heard so far are final at each commit.
   */
  streaming?: { msPerWord?: number }
}

export interface FakeTransport extends SpeechTransport {
  /** What was sent: every uploaded blob and every text spoken, and each real-time socket's commits. */
  calls: { transcribe: Blob[]; speak: string[]; commits: number }
}

export const fixtureTranscript: Transcript = {
  text: 'please turn on the kitchen lights',
  segments: [
    { text: 'please turn on', start: 0.2, end: 1.1 },
    { text: 'the kitchen lights', start: 1.1, end: 2.2 },
  ],
  durationSec: 2.3,
  language: 'en',
  provider: 'fake',
  raw: null,
}

/** The three sentences of the bundled speech, with their times in the MP3. */
export const speechTranscript: Transcript = {
  text: 'The first sentence is short. Here comes the second one. And this is the third.',
  segments: [
    { text: 'The first sentence is short.', start: 0, end: 1.6 },
    { text: 'Here comes the second one.', start: 1.6, end: 3.2 },
    { text: 'And this is the third.', start: 3.2, end: null },
  ],
  provider: 'fake',
  raw: null,
}

export { speechUrl }

const provider = 'fake'

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new VoiceError('aborted', 'Aborted', { provider }))
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(new VoiceError('aborted', 'Aborted', { provider }))
      },
      { once: true },
    )
  })
}

const scripted = (code: VoiceErrorCode) =>
  new VoiceError(code, `Scripted ${code.replace(/_/g, ' ')}`, { provider, retryable: false })

const bytes = new Map<string, Promise<Uint8Array>>()

export function createFakeTransport(options: FakeTransportOptions = {}): FakeTransport {
  const { latencyMs = 300, chunkBytes = 4096, chunkDelayMs = 40, audioUrl = speechUrl } = options
  const calls: FakeTransport['calls'] = { transcribe: [], speak: [], commits: 0 }
  const streaming = options.streaming && {
    async openTranscriptionStream({ onEvent, signal }: StreamingTranscriptionOptions) {
      await wait(latencyMs / 3, signal)
      const words = ({ ...fixtureTranscript, ...options.transcript }.text ?? '').split(' ')
      const samplesPerWord = ((options.streaming?.msPerWord ?? 400) * 16_000) / 1000
      let received = 0
      let heard = 0 // words of the transcript heard so far, in all
      let final = 0 // of which final
      let open = true
      const say = (event: StreamingTranscriptionEvent) => open && onEvent(event)
      setTimeout(() => say({ type: 'ready' }), 0)
      return {
        sampleRate: 16_000,
        send(samples: Float32Array) {
          received += samples.length
          const now = Math.min(words.length, Math.floor(received / samplesPerWord))
          if (now > heard) {
            heard = now
            say({ type: 'interim', text: words.slice(final, heard).join(' ') })
          }
        },
        commit() {
          calls.commits++
          const text = words.slice(final, heard).join(' ')
          final = heard
          setTimeout(() => say({ type: 'final', text }), latencyMs / 3)
        },
        async finish() {
          open = false
        },
        close() {
          open = false
        },
      }
    },
  }
  return {
    ...streaming,
    provider,
    input: { mimeTypes: ['audio/webm', 'audio/ogg', 'audio/mp4', 'audio/wav'], maxBytes: 1024 * 1024 },
    calls,
    async transcribe(audio, { signal } = {}) {
      const error = options.transcribeErrors?.[calls.transcribe.length]
      calls.transcribe.push(audio)
      await wait(latencyMs, signal)
      if (error) throw scripted(error)
      return { ...fixtureTranscript, ...options.transcript }
    },
    async speak(text, { signal } = {}): Promise<AudioStream> {
      const error = options.speakErrors?.[calls.speak.length]
      calls.speak.push(text)
      await wait(latencyMs, signal)
      if (error) throw scripted(error)
      if (!bytes.has(audioUrl)) {
        bytes.set(
          audioUrl,
          fetch(audioUrl).then(async (response) => new Uint8Array(await response.arrayBuffer())),
        )
      }
      const data = await bytes.get(audioUrl)!
      let offset = 0
      return {
        mimeType: 'audio/mpeg',
        body: new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (offset >= data.length) return controller.close()
            if (offset) await wait(chunkDelayMs)
            controller.enqueue(data.slice(offset, offset + chunkBytes))
            offset += chunkBytes
          },
        }),
      }
    },
  }
}
