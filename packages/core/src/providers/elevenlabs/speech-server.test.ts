// The transport against the local speech server's ElevenLabs routes, which were written from the same
// references without this folder: real Flite speech, real pocketsphinx recognition. No proxy here (the
// fault matrix and the browser test go through it); the key is sent as the proxy would send it.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type SpeechServer, startSpeechServer } from '../../../../../apps/speech-server/src/server'
import { readAll, voiceError } from '../../test-support/http'
import { createElevenLabsTransport } from './elevenlabs'

let server: SpeechServer
beforeAll(async () => {
  server = await startSpeechServer({ port: 0, apiKey: 'eleven-test-key' })
})
afterAll(() => server?.close())

const transport = (key = 'eleven-test-key') =>
  createElevenLabsTransport({ baseUrl: `${server.url}/elevenlabs`, headers: { 'xi-api-key': key }, timeoutMs: 60_000 })

test('speaks and recognises through the speech server’s ElevenLabs routes', async () => {
  const audio = await transport().speak('Please turn on the kitchen lights.', { voice: 'rms' })
  expect(audio.mimeType).toBe('audio/mpeg')
  const mp3 = await readAll(audio.body)
  expect(mp3.length).toBeGreaterThan(4000)
  expect([mp3[0], (mp3[1] ?? 0) & 0xe0]).toEqual([0xff, 0xe0]) // an MPEG audio frame from the first byte

  const wav = readFileSync(new URL('../../../../../fixtures/speech/kitchen-lights.wav', import.meta.url))
  const transcript = await transport().transcribe(new Blob([wav], { type: 'audio/wav' }))
  expect(transcript.text).toBe('please turn on the kitchen lights')
  expect(transcript.words?.map((word) => word.text)).toEqual(['please', 'turn', 'on', 'the', 'kitchen', 'lights'])
  expect(transcript.segments).toHaveLength(1) // no punctuation from pocketsphinx: one sentence
  expect(transcript.segments[0]).toMatchObject({ text: transcript.text, start: transcript.words![0]!.start })
  expect(transcript.language).toBe('eng')
}, 90_000) // Flite and pocketsphinx, on a machine that may be busy

test('a wrong key is the server’s 401 {detail: {status: invalid_api_key}} → unauthorized', async () => {
  const error = await voiceError(transport('wrong').speak('Hi.'))
  expect(error).toMatchObject({ code: 'unauthorized', status: 401, providerCode: 'invalid_api_key' })
})
