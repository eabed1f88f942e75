// Dify's chat route with text-to-speech: the canned reply's words in `message` events, its speech in `tts_message`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CANNED_REPLY } from '../src/routes/dify-chat.ts'
import { decodedDuration, jsonBody, startTestServer, type TestServer, walkMp3 } from './helpers.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

/** The `data:` events of a server-sent event stream, in order (pings and comments left out). */
function events(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => !!line)
    .map((line) => JSON.parse(line.slice(6)))
}

describe('Dify /chat-messages, streaming', () => {
  it('streams the reply as message events and its speech as base64 MP3 in tts_message events', {
    timeout: 60_000,
  }, async () => {
    const response = await server.post(
      '/dify/v1/chat-messages',
      jsonBody({ query: 'Hi', inputs: {}, response_mode: 'streaming', user: 'u', conversation_id: '' }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const text = await response.text()
    expect(text.startsWith('event: ping\n\n')).toBe(true)
    const all = events(text)
    const kinds = all.map((e) => e.event)
    expect(kinds.at(-2)).toBe('message_end')
    expect(kinds.at(-1)).toBe('tts_message_end')
    expect(
      all
        .filter((e) => e.event === 'message')
        .map((e) => e.answer)
        .join(''),
    ).toBe(CANNED_REPLY)
    // The first sentence's audio comes before the last sentence's words: speech is interleaved with the text.
    const firstAudio = kinds.indexOf('tts_message')
    expect(firstAudio).toBeGreaterThan(0)
    expect(firstAudio).toBeLessThan(kinds.lastIndexOf('message'))
    for (const e of all) expect(e).toMatchObject({ task_id: expect.any(String), message_id: expect.any(String) })
    const mp3 = Buffer.concat(
      all.filter((e) => e.event === 'tts_message').map((e) => Buffer.from(e.audio as string, 'base64')),
    )
    const walk = walkMp3(new Uint8Array(mp3))
    expect(walk.strayBytes).toBe(0)
    expect(walk.infoFrames).toBe(4) // one MP3 file per sentence
    expect(decodedDuration(new Uint8Array(mp3), 'mp3')).toBeGreaterThan(5)
  })

  it('answers blocking mode as JSON without audio, and refuses a request without a query', async () => {
    const blocking = await server.post('/dify/v1/chat-messages', jsonBody({ query: 'Hi', response_mode: 'blocking' }))
    expect(await blocking.json()).toMatchObject({ answer: CANNED_REPLY })
    const missing = await server.post('/dify/v1/chat-messages', jsonBody({ response_mode: 'streaming' }))
    expect(missing.status).toBe(400)
    expect(await missing.json()).toEqual({ code: 'invalid_param', message: 'query is required', status: 400 })
  })
})
