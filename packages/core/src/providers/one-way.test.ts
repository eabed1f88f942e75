// The one-way factories: a Transcriber or a Speaker holds one direction only (so an app that never speaks
// does not ship the text-to-speech code), and does on the wire exactly what the two-way transport does.
import { describe, expect, test } from 'vitest'
import { readAll, reply, useTestServer, wavBytes } from '../test-support/http'
import type { HttpTransportOptions, SpeechTransport } from '../transport/types'
import { createDifySpeaker, createDifyTranscriber, createDifyTransport } from './dify'
import { createElevenLabsSpeaker, createElevenLabsTranscriber, createElevenLabsTransport } from './elevenlabs'
import { createFishSpeaker, createFishTranscriber, createFishTransport } from './fish'
import { createOpenAISpeaker, createOpenAITranscriber, createOpenAITransport } from './openai'

const server = useTestServer({})
const AUDIO = new Uint8Array([0xff, 0xfb, 0x90, 0x64, 1, 2, 3, 4])

type Factory = (options: HttpTransportOptions) => SpeechTransport
const providers: { name: string; transcriber: Factory; speaker: Factory; both: Factory; paths: [string, string] }[] = [
  {
    name: 'dify',
    transcriber: createDifyTranscriber,
    speaker: createDifySpeaker,
    both: createDifyTransport,
    paths: ['/audio-to-text', '/text-to-audio'],
  },
  {
    name: 'fish',
    transcriber: createFishTranscriber,
    speaker: createFishSpeaker,
    both: createFishTransport,
    paths: ['/v1/asr', '/v1/tts'],
  },
  {
    name: 'elevenlabs',
    transcriber: createElevenLabsTranscriber,
    speaker: createElevenLabsSpeaker,
    both: createElevenLabsTransport,
    paths: ['/v1/speech-to-text', '/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream?output_format=mp3_44100_128'],
  },
  {
    name: 'openai',
    transcriber: createOpenAITranscriber,
    speaker: createOpenAISpeaker,
    both: createOpenAITransport,
    paths: ['/audio/transcriptions', '/audio/speech'],
  },
]

describe.each(providers)('$name: one direction each, the same wire', (p) => {
  const options = () => ({ baseUrl: server.url })
  const answer = () =>
    server.handle((request, response) => {
      if (request.url === p.paths[1]) {
        response.writeHead(200, { 'content-type': 'audio/mpeg' })
        response.end(AUDIO)
      } else reply(response, 200, { text: 'hello there', duration: 1, segments: [] })
    })

  test('the transcriber transcribes and cannot speak', async () => {
    answer()
    const transcriber = p.transcriber(options())
    expect(transcriber.speak).toBeUndefined()
    const transcript = await transcriber.transcribe!(new Blob([wavBytes(200)], { type: 'audio/wav' }))
    expect(transcript).toMatchObject({ text: 'hello there', provider: p.name })
    expect(server.received.map((request) => request.url)).toEqual([p.paths[0]])
  })

  test('the speaker speaks and cannot transcribe', async () => {
    answer()
    const speaker = p.speaker(options())
    expect(speaker.transcribe).toBeUndefined()
    const stream = await speaker.speak!('Hello there.')
    expect(stream.mimeType).toBe('audio/mpeg')
    expect(await readAll(stream.body)).toEqual(AUDIO)
    expect(server.received.map((request) => request.url)).toEqual([p.paths[1]])
  })

  test('the two-way transport is both, with the same input', async () => {
    answer()
    const both = p.both(options())
    expect(both.input).toEqual(p.transcriber(options()).input)
    expect(both.input).toEqual(p.speaker(options()).input)
    await both.transcribe!(new Blob([wavBytes(200)], { type: 'audio/wav' }))
    await readAll((await both.speak!('Hello there.')).body)
    expect(server.received.map((request) => request.url)).toEqual(p.paths)
  })
})
