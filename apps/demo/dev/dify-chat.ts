// The demo's "Dify chat app" endpoint, as an app's own server would call Dify: POST /api/dify-chat forwards
// one question to the local speech server's Dify chat route with the server-side key and streams Dify's
// events (the reply's words and its speech as `tts_message`) back to the page unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

export interface DifyChatUpstream {
  /** Dify's API base, e.g. `http://127.0.0.1:8787/dify/v1`. */
  baseUrl: string
  apiKey: string
}

/** Answers POST /api/dify-chat (returns true), or leaves the request to the next handler (false). */
export function handleDifyChat(req: IncomingMessage, res: ServerResponse, upstream: DifyChatUpstream): boolean {
  if (req.method !== 'POST' || req.url?.split('?')[0] !== '/api/dify-chat') return false
  const abort = new AbortController()
  res.on('close', () => abort.abort())
  // The page sends nothing the server passes on: the question is fixed here, the user id is the server's.
  fetch(`${upstream.baseUrl}/chat-messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${upstream.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'Tell me about streamed replies.',
      inputs: {},
      response_mode: 'streaming',
      user: 'demo',
    }),
    signal: abort.signal,
  }).then(
    (answer) => {
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'text/event-stream',
        'cache-control': 'no-store',
      })
      if (!answer.body) return void res.end()
      Readable.fromWeb(answer.body as NodeReadableStream<Uint8Array>)
        .on('error', () => res.destroy())
        .pipe(res)
    },
    () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: 'bad_gateway', message: 'The local speech server did not answer.' }))
    },
  )
  return true
}
