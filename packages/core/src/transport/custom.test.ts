// The custom-transport example of docs/providers.md, verbatim, run against a real server:
// the interface is the extension point, and the example must keep working.
import { isVoiceError, VoiceError } from '@voicekit/core'
import {
  type AudioStream,
  codeForStatus,
  normaliseAudioMime,
  type SpeechTransport,
  type Transcript,
} from '@voicekit/core/transport'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readAll, rejection, reply, startServer, type TestServer, wavBytes } from '../test-support/http'

// --- docs/providers.md example start ---
export function createMyTransport(baseUrl: string): SpeechTransport {
  const provider = 'my-server'
  const input = { mimeTypes: ['audio/wav', 'audio/webm'], maxBytes: 10 * 1024 * 1024 }

  async function post(path: string, body: BodyInit, type: string, signal?: AbortSignal) {
    let response: Response
    try {
      response = await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': type }, body, signal })
    } catch (cause) {
      throw new VoiceError(signal?.aborted ? 'aborted' : 'network', 'Speech server unreachable', { provider, cause })
    }
    if (!response.ok) {
      const message = await response.text().catch(() => '')
      throw new VoiceError(codeForStatus(response.status), message, { provider, status: response.status })
    }
    return response
  }

  return {
    provider,
    input,
    async transcribe(audio, options = {}): Promise<Transcript> {
      if (audio.size === 0) throw new VoiceError('no_audio', 'Nothing was recorded', { provider })
      if (audio.size > input.maxBytes) throw new VoiceError('audio_too_large', 'Recording too long', { provider })
      const response = await post('/stt', audio, audio.type, options.signal)
      const body = await response.json().catch(() => null)
      if (typeof body?.transcript !== 'string') throw new VoiceError('bad_response', 'No transcript', { provider })
      return { text: body.transcript, segments: [], provider, raw: body }
    },
    async speak(text, options = {}): Promise<AudioStream> {
      const json = JSON.stringify({ text, voice: options.voice })
      const response = await post('/tts', json, 'application/json', options.signal)
      if (!response.body) throw new VoiceError('bad_response', 'No audio', { provider })
      return { mimeType: normaliseAudioMime(response.headers.get('content-type')) || 'audio/mpeg', body: response.body }
    },
  }
}
// --- docs/providers.md example end ---

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('the README custom transport transcribes, speaks and fails with VoiceErrors', async () => {
  const transport = createMyTransport(server.url)
  server.handle((request, response) => {
    if (request.url === '/stt') {
      reply(response, 200, { transcript: `got ${request.body.length} bytes of ${request.headers['content-type']}` })
    } else {
      response.writeHead(200, { 'content-type': 'audio/mp3' })
      response.end(Buffer.from([1, 2, 3]))
    }
  })
  const transcript = await transport.transcribe!(new Blob([wavBytes(100)], { type: 'audio/wav' }))
  expect(transcript.text).toBe('got 100 bytes of audio/wav')
  const audio = await transport.speak!('Hello')
  expect(audio.mimeType).toBe('audio/mpeg')
  expect(await readAll(audio.body)).toEqual(new Uint8Array([1, 2, 3]))

  server.handle((_request, response) => reply(response, 429, 'slow down'))
  const error = await rejection(transport.transcribe!(new Blob([wavBytes(100)], { type: 'audio/wav' })))
  expect(isVoiceError(error)).toBe(true)
  expect(error).toMatchObject({ code: 'quota_exceeded', status: 429, retryable: true, message: 'slow down' })
})
