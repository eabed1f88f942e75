// Dify's chat API with text-to-speech on: POST /v1/chat-messages, `response_mode: 'streaming'` → server-sent
// events. This server has no language model: it answers every query with one canned reply, streamed word by word in
// `message` events, and speaks it with its real TTS: after each sentence's words, that sentence's MP3 goes out as
// base64 in `tts_message` events (cut in parts, as Dify sends them), then `message_end` and `tts_message_end`.
// `response_mode: 'blocking'` answers the whole reply as JSON, without audio.
import { randomUUID } from 'node:crypto'
import { jsonObject, readBody } from '../body.ts'
import { resolveVoice } from '../engines/tts.ts'
import { splitSentences } from '../sentences.ts'
import { json, type Reply, type Route, type RouteContext } from '../types.ts'

export const CANNED_REPLY =
  'Hello! This is the local speech server answering as a Dify chat app. ' +
  'Every sentence you read here is also spoken, and its audio travels inside the same event stream. ' +
  'That is how a Dify app with text to speech streams its replies.'

/** Base64 characters per `tts_message` event (Dify sends a sentence's audio in several). */
const AUDIO_PART = 8192
/** Pause between two words of the reply, as a model writes them. */
const WORD_MS = 15

/** Dify's error shape (the same as routes/dify.ts; not imported from there, which registers this route). */
const difyError = (status: number, code: string, message: string) => json(status, { code, message, status })

const sse = (event: Record<string, unknown>) => new TextEncoder().encode(`data: ${JSON.stringify(event)}\n\n`)

async function* chatStream(ctx: RouteContext, voice: string, conversation: string): AsyncGenerator<Uint8Array> {
  const ids = {
    task_id: randomUUID(),
    message_id: randomUUID(),
    conversation_id: conversation || randomUUID(),
    created_at: Math.floor(Date.now() / 1000),
  }
  yield new TextEncoder().encode('event: ping\n\n')
  const sentences = splitSentences(CANNED_REPLY)
  // Synthesis runs alongside the words, as Dify's publisher does: each sentence starts when it is written.
  const speech = ctx.tts.speak(CANNED_REPLY, { voice: resolveVoice(voice), files: true, signal: ctx.signal })
  for (const [index, sentence] of sentences.entries()) {
    const words = sentence.split(/(?<=\s)/)
    for (const word of words) {
      if (ctx.signal.aborted) return
      await new Promise((resolve) => setTimeout(resolve, WORD_MS))
      yield sse({
        event: 'message',
        ...ids,
        id: ids.message_id,
        answer: index && word === words[0] ? ` ${word}` : word,
      })
    }
    const spoken = await speech.next()
    if (spoken.done) break
    const audio = Buffer.from(spoken.value.mp3).toString('base64')
    for (let at = 0; at < audio.length; at += AUDIO_PART)
      yield sse({ event: 'tts_message', ...ids, audio: audio.slice(at, at + AUDIO_PART) })
  }
  yield sse({ event: 'message_end', ...ids, id: ids.message_id, metadata: {} })
  yield sse({ event: 'tts_message_end', ...ids, audio: '' })
}

async function chatMessages(ctx: RouteContext): Promise<Reply> {
  const body = await readBody(ctx.req, 1024 * 1024)
  if (body.overflow)
    return difyError(413, 'content_too_large', 'The data value transmitted exceeds the capacity limit.')
  const params = jsonObject(body.bytes)
  if (!params)
    return difyError(400, 'bad_request', 'The browser (or proxy) sent a request that this server could not understand.')
  const { query, response_mode: mode, conversation_id: conversation, inputs } = params
  if (typeof query !== 'string' || !query.trim()) return difyError(400, 'invalid_param', 'query is required')
  if (mode !== undefined && mode !== 'streaming' && mode !== 'blocking')
    return difyError(400, 'invalid_param', 'response_mode must be streaming or blocking')
  if (mode !== 'streaming')
    return json(200, { event: 'message', answer: CANNED_REPLY, conversation_id: conversation ?? '' })
  const voice =
    typeof (inputs as { voice?: unknown } | undefined)?.voice === 'string' ? (inputs as { voice: string }).voice : ''
  return {
    kind: 'stream',
    status: 200,
    contentType: 'text/event-stream',
    chunks: chatStream(ctx, voice, typeof conversation === 'string' ? conversation : ''),
  }
}

export const difyChatRoute: Route = {
  method: 'POST',
  path: '/dify/v1/chat-messages',
  successType: 'text/event-stream',
  handle: chatMessages,
}
