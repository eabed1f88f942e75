// The demo's "assistant reply" endpoint: a canned reply streamed as plain text at about 30 tokens a second,
// as a language model writes it. GET /api/assistant-reply → text/plain, chunked, one token (a word or part
// of one) per chunk. Wire it into the dev backend's listener: `if (handleAssistantReply(req, res)) return`.
import type { IncomingMessage, ServerResponse } from 'node:http'

export const ASSISTANT_REPLY =
  'Sure! Here is what happened with your order. It left our warehouse on Monday at 9.30 in the morning, ' +
  'and the carrier picked it up the same afternoon. Dr. Lee from the support team checked the address: it is correct. ' +
  'The parcel is now at the regional depot, about 40 km from you. Delivery is planned for Thursday, between 2 and 5 p.m. ' +
  'You can follow it at example.com/track/A1B2.C3 at any time. If nobody is home, the driver leaves a note, ' +
  'and you can pick the parcel up at the post office the next day. Is there anything else I can help you with?'

/** The reply in tokens of about four characters, as a model's tokenizer would cut it. */
export function replyTokens(text = ASSISTANT_REPLY): string[] {
  return text.match(/\s?\S{1,4}|\s+/g) ?? []
}

/** Answers GET /api/assistant-reply (returns true), or leaves the request to the next handler (false). */
export function handleAssistantReply(req: IncomingMessage, res: ServerResponse, tokensPerSecond = 30): boolean {
  if (req.method !== 'GET' || req.url?.split('?')[0] !== '/api/assistant-reply') return false
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
  const tokens = replyTokens()
  let i = 0
  const timer = setInterval(() => {
    if (i >= tokens.length) {
      clearInterval(timer)
      res.end()
      return
    }
    res.write(tokens[i++])
  }, 1000 / tokensPerSecond)
  res.on('close', () => clearInterval(timer))
  return true
}
