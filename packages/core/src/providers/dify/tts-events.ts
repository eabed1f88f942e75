// Dify's own streamed speech: a chat or workflow app with text-to-speech on streams its answer as
// server-sent events, and besides `message` events it sends `tts_message` events whose `audio` is
// base64 MP3, then one `tts_message_end`. difyTtsAudio turns that event stream into an AudioStream
// the player takes like any other: `player.play(() => difyTtsAudio(response))`.
import { VoiceError } from '../../errors'
import { codeForStatus } from '../../transport/http-error'
import type { AudioStream } from '../../transport/types'
import { decodeDifyError } from './dify'

const provider = 'dify'

/** One event of Dify's stream: `{ event: 'message' | 'tts_message' | 'message_end' | …, … }`. */
export type DifyStreamEvent = Record<string, unknown> & { event?: string }

export interface DifyTtsAudioOptions {
  /** Every event of the stream as it is read (the `message` events carry the answer's text). */
  onEvent?: (event: DifyStreamEvent) => void
}

const bad = (message: string, cause?: unknown) => new VoiceError('bad_response', message, { provider, cause })

function base64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** The `data:` payload of one event block (several data lines join with a line break), or undefined. */
function dataOf(block: string): string | undefined {
  const lines = block.split(/\r?\n/).filter((line) => line.startsWith('data:'))
  if (!lines.length) return undefined
  return lines.map((line) => line.slice(line[5] === ' ' ? 6 : 5)).join('\n')
}

/**
 * The MP3 inside a Dify chat/workflow event stream (`response_mode: 'streaming'`), as an AudioStream.
 * Takes the fetch Response or its body. The audio ends at `tts_message_end`; a stream that ends
 * before it (also inside an event), an `error` event, or malformed audio makes the body fail with a
 * VoiceError, which the player plays up to and then reports as `playback_failed`: never silence.
 */
export function difyTtsAudio(
  source: Response | ReadableStream<Uint8Array>,
  options: DifyTtsAudioOptions = {},
): AudioStream {
  const response = source instanceof Response ? source : undefined
  const stream = response ? response.body : (source as ReadableStream<Uint8Array>)
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  const decoder = new TextDecoder()
  let text = ''
  let audioSeen = false
  let finished = false

  /** Handles the complete events in `text`; returns the audio in them and whether the audio has ended. */
  const events = (): { audio: Uint8Array[]; end: boolean } => {
    const audio: Uint8Array[] = []
    for (;;) {
      const at = text.search(/\r?\n\r?\n/)
      if (at < 0) return { audio, end: false }
      const block = text.slice(0, at)
      text = text.slice(at + (text[at] === '\r' ? 4 : 2))
      const data = dataOf(block)
      if (data === undefined) continue // a comment, or `event: ping`
      let event: DifyStreamEvent
      try {
        event = JSON.parse(data)
      } catch (cause) {
        throw bad(`Dify sent an event that is not JSON: ${data.slice(0, 80)}`, cause)
      }
      if (!event || typeof event !== 'object') throw bad('Dify sent an event that is not an object')
      options.onEvent?.(event)
      if (event.event === 'error') {
        const decoded = decodeDifyError(Number(event.status) || 500, event, '')
        const status = Number(event.status) || undefined
        throw new VoiceError(decoded?.code ?? codeForStatus(status ?? 500), decoded?.message, {
          provider,
          status,
          providerCode: decoded?.providerCode,
        })
      }
      if (event.event === 'tts_message' && typeof event.audio === 'string' && event.audio) {
        try {
          audio.push(base64(event.audio))
        } catch (cause) {
          throw bad('A tts_message held audio that is not base64', cause)
        }
        audioSeen = true
      }
      if (event.event === 'tts_message_end') return { audio, end: true }
    }
  }

  const body = new ReadableStream<Uint8Array>(
    {
      async start() {
        if (response && !response.ok) {
          const status = response.status
          const json = await response.json().catch(() => undefined)
          const decoded = decodeDifyError(status, json, '')
          throw new VoiceError(decoded?.code ?? codeForStatus(status), decoded?.message, {
            provider,
            status,
            providerCode: decoded?.providerCode,
          })
        }
        if (!stream) throw bad('Dify answered without a body')
        reader = stream.getReader()
      },
      async pull(controller) {
        for (;;) {
          const { done, value } = await reader!.read()
          if (done) {
            text += decoder.decode()
            const { audio, end } = events()
            for (const bytes of audio) controller.enqueue(bytes)
            if (end) return close(controller)
            if (text.trim()) throw bad('The event stream ended inside an event')
            // No closing tts_message_end: cut short if audio had started, or no speech in it at all.
            throw bad(audioSeen ? 'The event stream ended before tts_message_end' : 'The event stream held no speech')
          }
          text += decoder.decode(value, { stream: true })
          const { audio, end } = events()
          for (const bytes of audio) controller.enqueue(bytes)
          if (end) return close(controller)
          if (audio.length) return
        }
      },
      cancel(reason) {
        return reader?.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )

  function close(controller: ReadableStreamDefaultController<Uint8Array>) {
    if (finished) return
    finished = true
    controller.close()
    // The rest of the stream (message_end, …) is still read for onEvent; without a listener it is let go.
    if (!options.onEvent) return void reader?.cancel().catch(() => {})
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader!.read()
          text += done ? decoder.decode() : decoder.decode(value, { stream: true })
          events()
          if (done) return
        }
      } catch {}
    })()
  }

  return { mimeType: 'audio/mpeg', body }
}
