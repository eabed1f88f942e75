// `pnpm bench dictation`: continuous dictation against the single-file mode on the same microphone
// (the long fixture, looped), at 1 and 5 minutes (DICTATION_MINUTES=1,5,10 for more): the time from
// stop to the whole text, side by side in one run, and the words each recognised.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from '../test/browser/engines.ts'
import { startVoiceBackend } from '../test/browser/voice-backend-server.ts'
import { bundlePage } from './bundle.ts'
import { FIXTURES } from './media.ts'
import type { Row } from './stats.ts'

interface Result {
  continuousMs: number
  singleMs: number
  firstTextMs: number
  segments: number
  status: string
  continuousWords: number
  singleWords: number
}

export async function dictationBench(log: (line: string) => void): Promise<Row[]> {
  const minutes = (process.env.DICTATION_MINUTES ?? '1,5')
    .split(',')
    .map(Number)
    .filter((n) => n > 0)
  const backend = await startVoiceBackend('/api/voice')
  const script = await bundlePage(fileURLToPath(new URL('./page/dictation.ts', import.meta.url)))
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/voice/')) return backend.listener(req, res)
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    } else {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const browser = await chromium.launch({
    ...chromiumLaunchOptions(`${FIXTURES}long-dictation.wav`),
    headless: true,
  })
  const rows: Row[] = []
  try {
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForFunction(() => document.title === 'ready')
    for (const m of minutes) {
      log(`dictation: ${m} min of speech, continuous and single-file side by side`)
      const r = (await page.evaluate(
        // biome-ignore lint/suspicious/noExplicitAny: the page's own API
        (ms) => (window as any).bench.compare(ms),
        m * 60_000,
      )) as Result
      rows.push({
        group: 'dictation',
        name: `stop → whole text, ${m} min of speech (Dify route, local pocketsphinx)`,
        ours: `${(r.continuousMs / 1000).toFixed(2)} s continuous (${r.segments} segments)`,
        baseline: `${(r.singleMs / 1000).toFixed(2)} s single file`,
        ratio: r.continuousMs / r.singleMs,
        note: `first words ${(r.firstTextMs / 1000).toFixed(1)} s after start; words recognised ${r.continuousWords} vs ${r.singleWords}; ${r.status}`,
      })
    }
  } finally {
    await browser.close()
    server.closeAllConnections()
    server.close()
    await backend.close()
  }
  return rows
}
