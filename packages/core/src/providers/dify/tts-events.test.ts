import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { isVoiceError } from '../../errors'
import { difyTtsAudio } from './tts-events'

const mp3 = new Uint8Array(readFileSync(new URL('../../../../../fixtures/speech/weather.mp3', import.meta.url)))
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const ids = { task_id: 't', message_id: 'm', conversation_id: 'c', created_at: 1 }
const data = (event: Record<string, unknown>, eol = '\n') => `data: ${JSON.stringify({ ...ids, ...event })}${eol}${eol}`

/** The text as a byte stream cut every `size` bytes (events split anywhere). */
function sse(text: string, size = 97): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
}

async function read(body: ReadableStream<Uint8Array>): Promise<{ bytes: Uint8Array; error?: unknown }> {
  const parts: Uint8Array[] = []
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(value)
    }
  } catch (error) {
    return { bytes: new Uint8Array(Buffer.concat(parts)), error }
  }
  return { bytes: new Uint8Array(Buffer.concat(parts)) }
}

/** A chat reply: a ping, a message, the audio in `parts` events (each part encoded on its own, as Dify does), the ends. */
const reply = (audio: Uint8Array, parts: number, eol = '\n') => {
  const size = Math.ceil(audio.length / parts)
  let out = `event: ping${eol}${eol}${data({ event: 'message', answer: 'Hello' }, eol)}`
  for (let i = 0; i < audio.length; i += size)
    out += data({ event: 'tts_message', audio: b64(audio.subarray(i, i + size)) }, eol)
  return `${out}${data({ event: 'message_end', metadata: {} }, eol)}${data({ event: 'tts_message_end', audio: '' }, eol)}`
}

describe('difyTtsAudio', () => {
  test('gives the MP3 of the tts_message events, whatever the cuts, also with CRLF line ends', async () => {
    const third = Math.ceil(mp3.length / 3)
    // Each event's base64 decoded on its own, as Dify encodes each part on its own.
    const events = [0, 1, 2].map((k) => mp3.slice(k * third, (k + 1) * third))
    let text = 'event: ping\n\n'
    for (const part of events) text += data({ event: 'tts_message', audio: b64(part) })
    text += data({ event: 'tts_message_end', audio: '' })
    for (const size of [1, 13, 97, 100_000]) {
      const audio = difyTtsAudio(sse(text, size))
      expect(audio.mimeType).toBe('audio/mpeg')
      const { bytes, error } = await read(audio.body)
      expect(error).toBeUndefined()
      expect(bytes).toEqual(mp3)
    }
    expect((await read(difyTtsAudio(sse(reply(mp3, 1, '\r\n'))).body)).bytes).toEqual(mp3)
  })

  test('every event reaches onEvent, the message text included', async () => {
    const seen: string[] = []
    const { bytes } = await read(difyTtsAudio(sse(reply(mp3, 2)), { onEvent: (e) => seen.push(String(e.event)) }).body)
    expect(bytes).toEqual(mp3)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen).toEqual(['message', 'tts_message', 'tts_message', 'message_end', 'tts_message_end'])
  })

  test('a stream cut inside its last event, or before tts_message_end, fails with bad_response after the audio', async () => {
    const whole = reply(mp3, 4)
    const cut = whole.slice(0, whole.indexOf('"event":"tts_message"', whole.indexOf('tts_message') + 40) + 60)
    const inside = await read(difyTtsAudio(sse(cut)).body)
    expect(inside.bytes.length).toBeGreaterThan(0)
    expect(isVoiceError(inside.error) && inside.error.code).toBe('bad_response')
    expect((inside.error as Error).message).toMatch(/inside an event/)
    const early = await read(
      difyTtsAudio(
        sse(
          whole.slice(
            0,
            whole.indexOf(
              'data: {"task_id":"t","message_id":"m","conversation_id":"c","created_at":1,"event":"message_end"',
            ),
          ),
        ),
      ).body,
    )
    expect(early.bytes).toEqual(mp3)
    expect((early.error as Error).message).toMatch(/before tts_message_end/)
    const none = await read(difyTtsAudio(sse(data({ event: 'message', answer: 'Hi' }))).body)
    expect((none.error as Error).message).toMatch(/no speech/)
  })

  test("Dify's error event and an error status are VoiceErrors in Dify's vocabulary", async () => {
    const text = data({ event: 'error', status: 400, code: 'provider_quota_exceeded', message: 'Quota used up' })
    const { error } = await read(difyTtsAudio(sse(text)).body)
    expect(error).toMatchObject({
      code: 'quota_exceeded',
      providerCode: 'provider_quota_exceeded',
      message: 'Quota used up',
    })
    const refused = new Response(JSON.stringify({ code: 'app_unavailable', message: 'No app', status: 400 }), {
      status: 400,
    })
    expect((await read(difyTtsAudio(refused).body)).error).toMatchObject({
      code: 'provider_misconfigured',
      status: 400,
    })
  })

  test('an event that is not JSON, or audio that is not base64, is bad_response', async () => {
    expect((await read(difyTtsAudio(sse('data: {"event": "tts_mess\n\n')).body)).error).toMatchObject({
      code: 'bad_response',
    })
    const notBase64 = data({ event: 'tts_message', audio: '%%%not base64%%%' })
    expect((await read(difyTtsAudio(sse(notBase64)).body)).error).toMatchObject({ code: 'bad_response' })
  })

  test('cancelling the audio cancels the event stream', async () => {
    let cancelled = false
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(data({ event: 'tts_message', audio: b64(mp3.slice(0, 500)) })))
      },
      cancel() {
        cancelled = true
      },
    })
    const reader = difyTtsAudio(source).body.getReader()
    await reader.read()
    await reader.cancel()
    expect(cancelled).toBe(true)
  })
})
