// createTransport: an id and plain options give the same transport as the provider's own factory, typed
// by the id (the `@ts-expect-error` lines fail tsc when the types stop refusing them).
import { describe, expect, test } from 'vitest'
import { formData, reply, useTestServer, voiceError, wavBytes } from '../test-support/http'
import type { StreamingTranscriber } from '../transport/streaming'
import { createTransport, type SerializableTransportOptions, type TransportProviderId } from './registry'

const server = useTestServer({ text: 'hello there', duration: 1, segments: [] })
const wav = () => new Blob([wavBytes(200)], { type: 'audio/wav' })

const paths: Record<TransportProviderId, string> = {
  dify: '/audio-to-text',
  elevenlabs: '/v1/speech-to-text',
  livepeer: '/audio-to-text',
  openai: '/audio/transcriptions',
}

describe('createTransport', () => {
  test.each(Object.keys(paths) as TransportProviderId[])('%s: transcribes at its own path', async (id) => {
    const transport = createTransport(id, { baseUrl: server.url })
    expect(transport.provider).toBe(id)
    const transcript = await transport.transcribe(wav())
    expect(transcript).toMatchObject({ text: 'hello there', provider: id })
    expect(server.received.map((request) => request.url)).toEqual([paths[id]])
  })

  test("the provider's own options reach the wire", async () => {
    await createTransport('dify', { baseUrl: server.url, user: 'u-42' }).transcribe(wav())
    expect((await formData(server.received[0]!)).get('user')).toBe('u-42')
  })

  test('serializable options are enough, headers included', async () => {
    const options: SerializableTransportOptions<'openai'> = { baseUrl: server.url, headers: { 'x-csrf': 't1' } }
    const plain = JSON.parse(JSON.stringify(options)) as typeof options
    await createTransport('openai', plain).transcribe(wav())
    expect(server.received[0]!.headers['x-csrf']).toBe('t1')
  })

  test('livepeer transcribes only; the others speak too', () => {
    expect(createTransport('livepeer', { baseUrl: server.url }).speak).toBeUndefined()
    expect(typeof createTransport('openai', { baseUrl: server.url }).speak).toBe('function')
  })

  test('an unknown id is a VoiceError that names the known ones', async () => {
    const error = await voiceError(
      // @ts-expect-error: not a built-in id
      Promise.resolve().then(() => createTransport('difi', { baseUrl: server.url })),
    )
    expect(error.code).toBe('invalid_request')
    expect(error.message).toContain('dify, elevenlabs, livepeer, openai')
  })

  test('an inherited property is not an id', async () => {
    // @ts-expect-error: not a built-in id
    const error = await voiceError(Promise.resolve().then(() => createTransport('toString', { baseUrl: '/x' })))
    expect(error.code).toBe('invalid_request')
  })

  test("fish is refused with where it lives (msgpackr stays off the main entry's bundle)", async () => {
    // @ts-expect-error: fish is on @voicekit/core/fish
    const error = await voiceError(Promise.resolve().then(() => createTransport('fish', { baseUrl: '/x' })))
    expect(error.message).toContain('@voicekit/core/fish')
  })

  test('a missing baseUrl is a VoiceError, before any request', async () => {
    // @ts-expect-error: baseUrl is required
    const error = await voiceError(Promise.resolve().then(() => createTransport('dify', {})))
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'dify' })
    expect(server.received).toEqual([])
  })

  test("options are typed by the id: another provider's option is a type error", () => {
    // @ts-expect-error: `user` is Dify's, not OpenAI's
    createTransport('openai', { baseUrl: server.url, user: 'u-1' })
    expect(server.received).toEqual([])
  })

  test('a failure answered by the provider decodes in its own shape', async () => {
    server.handle((_request, response) => reply(response, 400, { status: 400, code: 'no_audio_uploaded' }))
    const error = await voiceError(createTransport('dify', { baseUrl: server.url }).transcribe(wav()))
    expect(error).toMatchObject({ code: 'no_audio', providerCode: 'no_audio_uploaded' })
  })

  test('`realtime` adds openTranscriptionStream (typed as present); serializable real-time options are plain data', () => {
    const openai = createTransport('openai', { baseUrl: server.url, realtime: true })
    const elevenlabs = createTransport('elevenlabs', { baseUrl: server.url, realtime: { timestamps: false } })
    const stream: StreamingTranscriber['openTranscriptionStream'][] = [
      openai.openTranscriptionStream,
      elevenlabs.openTranscriptionStream,
    ]
    expect(stream.map((open) => typeof open)).toEqual(['function', 'function'])
    expect(createTransport('openai', { baseUrl: server.url }).openTranscriptionStream).toBeUndefined()
    const plain: SerializableTransportOptions<'elevenlabs'> = {
      baseUrl: '/api/voice/elevenlabs',
      realtime: { connection: { token: true }, commitStrategy: 'vad' },
    }
    expect(typeof createTransport('elevenlabs', plain).openTranscriptionStream).toBe('function')
    const notPlain: SerializableTransportOptions<'openai'> = {
      baseUrl: '/api/voice/openai',
      // @ts-expect-error: a token function does not survive serialization
      realtime: { connection: { token: async () => 'ek', url: 'wss://x' } },
    }
    expect(notPlain.baseUrl).toBe('/api/voice/openai')
    // @ts-expect-error: Livepeer has no real-time transcription
    createTransport('livepeer', { baseUrl: server.url, realtime: true })
  })
})
