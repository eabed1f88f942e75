// `pnpm bench streamed`: an assistant's reply (the demo's canned one, about 30 s of speech) streamed at
// about 30 tokens a second into `speak()`, through @voicekit/proxy to the local speech server (Flite), in
// Chromium, Firefox and WebKit: first audio after the first sentence's text is complete, speaking the text
// stream versus waiting for the whole text and speaking that; and the player's underruns over the whole
// streamed reply (its pieces are played as one utterance, so a gap between pieces is an underrun).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { handleAssistantReply } from '../apps/demo/dev/assistant-reply.ts'
import { startVoiceBackend } from '../test/browser/voice-backend-server.ts'
import { bundlePage } from './bundle.ts'
import { BROWSER_ENGINES, engineName, openEnginePage } from './engine-page.ts'
import type { ReplyRun } from './page/streamed.ts'
import type { Row } from './stats.ts'

const TOKENS_PER_SECOND = 30
const seconds = (ms: number | undefined) => `${((ms ?? Number.NaN) / 1000).toFixed(2)} s`

export async function streamedBench(log: (line: string) => void): Promise<Row[]> {
  const backend = await startVoiceBackend('/api/voice')
  const script = await bundlePage(fileURLToPath(new URL('./page/streamed.ts', import.meta.url)))
  // Each speech request's time to its first byte at this server (proxy and speech server): the part of
  // the first audio that is synthesis, not the library.
  let speech: number[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/api/voice/')) {
      if (req.method === 'POST' && req.url.includes('text-to-audio')) {
        const at = performance.now()
        const list = speech
        const index = list.push(Number.NaN) - 1
        const write = res.write.bind(res)
        res.write = ((...args: Parameters<typeof write>) => {
          if (Number.isNaN(list[index])) list[index] = performance.now() - at
          return write(...args)
        }) as typeof res.write
      }
      return backend.listener(req, res)
    }
    if (handleAssistantReply(req, res, TOKENS_PER_SECOND)) return
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    } else {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const rows: Row[] = []
  try {
    for (const engine of BROWSER_ENGINES) {
      const name = engineName[engine]
      log(`streamed: ${name}, the reply spoken while it is written, then the whole text spoken at its end`)
      const page = await openEnginePage(engine, url)
      try {
        speech = []
        const whole = await page.call<ReplyRun>('reply', 'whole')
        const wholeServer = speech[0] ?? Number.NaN
        speech = []
        const stream = await page.call<ReplyRun>('reply', 'stream')
        const pieces = speech
        log(`streamed: ${JSON.stringify({ whole, stream, wholeServer, pieces })}`)
        const streamed = stream.firstAudioMs - stream.firstSentenceMs
        const waited = whole.firstAudioMs - whole.firstSentenceMs
        rows.push({
          group: 'streamed',
          name: `${name}: first audio after the first sentence's text is complete, ~${TOKENS_PER_SECOND} tokens/s reply`,
          ours: `${(streamed / 1000).toFixed(2)} s speak(textStream)`,
          baseline: `${(waited / 1000).toFixed(2)} s whole text, then speak(text)`,
          ratio: streamed / waited,
          note:
            `${stream.engine} engine; text written in ${((stream.lastTokenMs - stream.firstTokenMs) / 1000).toFixed(1)} s; ` +
            `speech server's first byte: first piece ${seconds(pieces[0])}, whole text ${seconds(wholeServer)}; ` +
            `whole text: first audio ${seconds(whole.firstAudioMs - whole.lastTokenMs)} after its last token` +
            (stream.error || whole.error ? `; errors: ${stream.error ?? ''} ${whole.error ?? ''}` : ''),
        })
        rows.push({
          group: 'streamed',
          name: `${name}: underruns over the whole streamed reply (between its pieces)`,
          ours: `${stream.underruns} underruns`,
          baseline: '0 underruns',
          ratio: null,
          note: `${stream.playedS.toFixed(1)} s of speech in ${pieces.length} pieces (speech server's first byte after ${pieces.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s), at 1×; the player's own count`,
        })
      } finally {
        await page.close()
      }
    }
  } finally {
    server.closeAllConnections()
    server.close()
    await backend.close()
  }
  return rows
}
