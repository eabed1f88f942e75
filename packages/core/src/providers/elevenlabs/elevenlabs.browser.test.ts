// ElevenLabs end to end in each engine, without React: the fake microphone's recording (the engine's own
// format, sent as it is) and a speech stream, through @voicekit/proxy (xi-api-key, the voice id in the path,
// output_format in the query) to the local speech server's ElevenLabs routes.
import { expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { expectFixtureSpeech, expectReleased, sleep, spyOnMicrophone } from '../../../../../test/browser/microphone'
import { createRecorder } from '../../capture/recorder'
import { toUploadable } from '../../capture/upload'
import { createStreamingPlayer } from '../../playback/player'
import { createElevenLabsTransport } from './elevenlabs'

const elevenlabs = () =>
  createElevenLabsTransport({ baseUrl: `${inject('voiceBaseUrl')}/elevenlabs`, timeoutMs: 60_000 })

test(`dictation in ${server.browser}: the recording as it is, recognised, with word times`, async () => {
  const mic = spyOnMicrophone()
  try {
    const transport = elevenlabs()
    const recorder = createRecorder({ input: transport.input })
    await recorder.start()
    await sleep(4000) // WebKit's recordings come out about a second short
    const recording = await recorder.stop()
    expectReleased(mic)
    const file = await toUploadable(recording!, transport.input)
    // Scribe takes every browser's own format: nothing was transcoded to WAV.
    expect(file.name).toMatch(/^recording\.(webm|ogg|m4a)$/)
    const transcript = await transport.transcribe(file, { timestamps: 'word' })
    expectFixtureSpeech(transcript.text)
    expect(transcript.provider).toBe('elevenlabs')
    expect(transcript.words?.length).toBeGreaterThanOrEqual(3)
    for (const word of transcript.words ?? []) expect(word.end ?? word.start).toBeGreaterThanOrEqual(word.start)
  } finally {
    mic.restore()
  }
}, 90_000)

test(`speech in ${server.browser}: the MP3 stream plays to its end`, async () => {
  const player = createStreamingPlayer()
  try {
    const transport = elevenlabs()
    let played = 0
    player.subscribe(() => {
      played = Math.max(played, player.getSnapshot().currentTime)
    })
    const result = await player.play((signal) => transport.speak('Hello there. Goodbye now.', { signal }))
    expect(result).toBeUndefined()
    expect(player.getSnapshot().status).toBe('done')
    expect(played).toBeGreaterThan(1) // seconds of speech were heard, not an empty success
  } finally {
    player.dispose()
  }
}, 60_000)
