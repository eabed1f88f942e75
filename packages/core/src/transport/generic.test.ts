// A provider of the app's own, made up here: its descriptor (what the proxy needs) and a transport for it
// from createHttpTransport, over real HTTP. Nothing in voicekit knows this provider.
import { isVoiceError, type ProviderDescriptor } from '@voicekit/core'
import { createHttpTransport, type HttpTransportSpec, uploadFormat, WAV } from '@voicekit/core/transport'
import { describe, expect, test } from 'vitest'
import { formData, rawParts, readAll, reply, useTestServer, voiceError, wavBytes } from '../test-support/http'

/** The descriptor an app hands to the proxy: plain values, a path template, its own auth header. */
export const parrotDescriptor: ProviderDescriptor = {
  id: 'parrot',
  name: 'Parrot Speech',
  defaultBaseUrl: 'https://api.parrot.example',
  endpoints: [
    { path: '/v2/listen', operation: 'transcribe', maxBytes: 1024 },
    { path: '/v2/voices/{voice}/say', operation: 'speak', maxBytes: 4096, query: ['speed'] },
  ],
  auth: { header: 'x-parrot-key' },
  env: { apiKey: 'PARROT_API_KEY' },
  errorBody: (status, message, code) => ({ fault: { status, code, message } }),
}

/** …and the transport for it: how to build each request and read each answer. */
const parrotSpec: HttpTransportSpec = {
  provider: parrotDescriptor.id,
  decodeError: (_status, body) => {
    const fault = (body as { fault?: { code?: string; message?: string } } | undefined)?.fault
    return fault
      ? {
          providerCode: fault.code,
          message: fault.message,
          ...(fault.code === 'no_credit' ? { code: 'payment_required' } : {}),
        }
      : undefined
  },
  transcribe: {
    formats: [WAV, uploadFormat('webm')],
    maxBytes: 1024,
    request(upload, { language }) {
      const form = new FormData()
      form.append('sound', upload.blob, upload.name)
      if (language) form.append('lang', language)
      return { path: '/v2/listen', body: form }
    },
    decode(body) {
      const said = (body as { said?: unknown } | null)?.said
      if (typeof said !== 'string') throw new Error('no said') // a builder's plain Error still leaves as a VoiceError
      return { text: said, segments: [], provider: 'parrot', raw: body }
    },
  },
  speak: {
    request: (text, { voice = 'polly' }) => ({
      path: `/v2/voices/${voice}/say?speed=1`,
      body: JSON.stringify({ words: text }),
      headers: { 'content-type': 'application/json' },
    }),
  },
}

const server = useTestServer({ said: 'pieces of eight' })
const parrot = () => createHttpTransport(parrotSpec, { baseUrl: `${server.url}/parrot` })

describe('createHttpTransport: a transport for a descriptor of the app’s own', () => {
  test('transcribe: checked, relabelled upload, the spec’s request and decoder', async () => {
    const transport = parrot()
    expect(transport.provider).toBe('parrot')
    expect(transport.input).toEqual({
      mimeTypes: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'audio/webm', 'video/webm'],
      maxBytes: 1024,
    })
    const transcript = await transport.transcribe!(new Blob([wavBytes(100)], { type: 'audio/x-wav' }), {
      language: 'en',
    })
    expect(transcript.text).toBe('pieces of eight')
    const [request] = server.received
    expect(request?.url).toBe('/parrot/v2/listen')
    expect(rawParts(request!)[0]).toMatchObject({
      name: 'sound',
      filename: 'recording.wav',
      headers: { 'content-type': 'audio/wav' },
    })
    expect((await formData(request!)).get('lang')).toBe('en')
  })

  test('guards and decoders give VoiceErrors only', async () => {
    expect((await voiceError(parrot().transcribe!(new Blob([wavBytes(2000)], { type: 'audio/wav' })))).code).toBe(
      'audio_too_large',
    )
    expect((await voiceError(parrot().transcribe!(new Blob([wavBytes(60)], { type: 'audio/ogg' })))).code).toBe(
      'unsupported_audio_type',
    )
    expect(server.received).toHaveLength(0)
    server.handle((_request, response) => reply(response, 200, { heard: 1 }))
    const odd = await voiceError(parrot().transcribe!(new Blob([wavBytes(60)], { type: 'audio/wav' })))
    expect(odd).toMatchObject({ code: 'bad_response', status: 200, provider: 'parrot' })
    server.handle((_request, response) =>
      reply(response, 402, { fault: { status: 402, code: 'no_credit', message: 'Top up.' } }),
    )
    const error = await voiceError(parrot().speak!('Hello'))
    expect(error).toMatchObject({
      code: 'payment_required',
      status: 402,
      providerCode: 'no_credit',
      message: 'Top up.',
      provider: 'parrot',
    })
  })

  test('speak: the path template filled, the audio streamed', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' })
      response.end(new Uint8Array([0xff, 0xfb, 1, 2]))
    })
    const audio = await parrot().speak!('Hello', { voice: 'kea' })
    expect(audio.mimeType).toBe('audio/mpeg')
    expect(await readAll(audio.body)).toEqual(new Uint8Array([0xff, 0xfb, 1, 2]))
    expect(server.received[0]).toMatchObject({ url: '/parrot/v2/voices/kea/say?speed=1' })
    expect(JSON.parse(server.received[0]!.body.toString())).toEqual({ words: 'Hello' })
  })

  test('async builders are awaited; the decoder sees the upload; a builder that rejects is invalid_request', async () => {
    const sizes: number[] = []
    const spec: HttpTransportSpec = {
      provider: 'parrot',
      transcribe: {
        formats: [WAV],
        maxBytes: 1024,
        request: async (upload) => ({ path: '/v2/listen', body: new Uint8Array(await upload.blob.arrayBuffer()) }),
        decode(body, _status, _options, upload) {
          sizes.push(upload.blob.size)
          return { text: String((body as { said: string }).said), segments: [], provider: 'parrot', raw: body }
        },
      },
      speak: {
        request: () => Promise.reject(new Error('no encoder')),
      },
    }
    const transport = createHttpTransport(spec, { baseUrl: server.url })
    expect((await transport.transcribe!(new Blob([wavBytes(100)], { type: 'audio/wav' }))).text).toBe('pieces of eight')
    expect(server.received[0]?.body.length).toBe(100)
    expect(sizes).toEqual([100])
    expect(await voiceError(transport.speak!('Hello'))).toMatchObject({ code: 'invalid_request', provider: 'parrot' })
    expect(server.received).toHaveLength(1)
  })

  test('a one-way spec makes a one-way transport', async () => {
    const speaker = createHttpTransport({ ...parrotSpec, transcribe: undefined }, { baseUrl: server.url })
    expect(speaker.transcribe).toBeUndefined()
    expect(typeof speaker.speak).toBe('function')
    expect(isVoiceError(await voiceError(speaker.speak!('  ')))).toBe(true)
  })
})
