// `pnpm bench dictation`: continuous dictation of the long fixture (looped) in headless Chromium, through
// the proxy to the local speech server (pocketsphinx), against the single-file upload of the same audio:
// stop → whole text, the first words, ordered recall and the page's peak memory, for 1 min (fed in real
// time), 5 and 10 min (fed faster, as fast as the server keeps up: see bench/page/dictation.ts), then a
// 60 min soak fed fast (memory bounded, nothing lost). DICTATION_MINUTES=1,5,10, DICTATION_SOAK=60 (0: no
// soak) and DICTATION_SINGLE_UP_TO=10 (the longest row that also uploads the single file) choose the lengths.
// Real-time dictation's rows come first (bench/realtime.ts): DICTATION_REALTIME_ONLY=1 runs them alone.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { createVoiceProxy, toNodeListener } from '@voicekit/proxy'
import { chromium, type Page } from 'playwright-core'
import { startSpeechServer } from '../apps/speech-server/src/server.ts'
import { chromiumLaunchOptions } from '../test/browser/engines.ts'
import { bundlePage } from './bundle.ts'
import { dictationPageServer, FIXTURES } from './media.ts'
import { realtimeBench } from './realtime.ts'
import { orderedRecall } from './recall.ts'
import type { Row } from './stats.ts'

interface DictateResult {
  realTime: boolean
  stopMs: number
  firstTextMs: number
  speed: number
  audioSeconds: number
  loops: number
  segments: number
  failed: number
  pendingAtStop: number
  status: string
  text: string
  expected: string
}

const MiB = 2 ** 20
const listen = (server: ReturnType<typeof createServer>) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  )
const body = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = []
    req
      .on('data', (c: Buffer) => parts.push(c))
      .on('end', () => resolve(Buffer.concat(parts)))
      .on('error', reject)
  })

/**
 * In front of the speech server: while `live` is off, an upload whose bytes were recognised before gets
 * pocketsphinx's own answer to them again. The fixture loops, so after its first pass a long dictation is
 * the same twenty sentences cut the same way (the same bytes) over and over; pocketsphinx needs about
 * 20 CPU-seconds per minute of speech, which two shared cores cannot give 76 minutes of speech in a
 * bounded run. The page turns `live` on before stop, so what stop waits for is always recognised live;
 * the page, the dictation and the proxy do all their work for every segment either way.
 */
async function memoServer(upstream: string) {
  const answers = new Map<string, { status: number; type: string; body: Buffer }>()
  const counts = { hits: 0, misses: 0 }
  let live = false
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const bytes = await body(req)
    // The multipart boundary is new for each request: the key is the upload without it.
    const boundary = /boundary=([^;]+)/.exec(req.headers['content-type'] ?? '')?.[1]
    const key = createHash('sha1')
      .update(`${req.method} ${req.url}\n`)
      .update(boundary ? bytes.toString('latin1').replaceAll(boundary, '') : bytes)
      .digest('hex')
    const known = live ? undefined : answers.get(key)
    if (known) {
      counts.hits++
      res.writeHead(known.status, { 'content-type': known.type, 'content-length': known.body.length }).end(known.body)
      return
    }
    counts.misses++
    const forward = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, async (answer) => {
      const reply = await body(answer)
      const type = String(answer.headers['content-type'] ?? 'application/json')
      if (answer.statusCode === 200) answers.set(key, { status: 200, type, body: reply })
      res.writeHead(answer.statusCode ?? 502, { 'content-type': type, 'content-length': reply.length }).end(reply)
    })
    forward.on('error', () => res.writeHead(502).end())
    forward.end(bytes)
  })
  const url = await listen(server)
  return {
    url,
    /** Counts since the last call. */
    take: () => {
      const taken = { ...counts }
      counts.hits = 0
      counts.misses = 0
      return taken
    },
    setLive: (on: boolean) => {
      live = on
    },
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

/**
 * The page's JS heap (CDP, as the DevTools memory panel counts it) while `work` runs: sampled every 250 ms
 * (the peak, garbage included), and right after a forced collection every 10 s (what the page really
 * holds: with the peak alone, a fast feed's garbage between collections looks like growth).
 */
async function withPeakHeap<T>(page: Page, work: () => Promise<T>) {
  const cdp = await page.context().newCDPSession(page)
  const used = async () => {
    const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
    // Array buffers (the audio) live outside the V8 heap; newer Chromium reports them apart.
    return u.usedSize + (u.backingStorageSize ?? 0)
  }
  await cdp.send('HeapProfiler.collectGarbage')
  const before = await used()
  let peak = before
  let live = before
  let sampling = true
  const sampler = (async () => {
    for (let i = 1; sampling; i++) {
      peak = Math.max(peak, await used().catch(() => 0))
      if (i % 40 === 0) {
        await cdp.send('HeapProfiler.collectGarbage').catch(() => {})
        live = Math.max(live, await used().catch(() => 0))
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  })()
  try {
    const result = await work()
    sampling = false
    await sampler
    peak = Math.max(peak, await used())
    await cdp.send('HeapProfiler.collectGarbage')
    const after = await used()
    return { result, before: before / MiB, peak: peak / MiB, live: live / MiB, after: after / MiB }
  } finally {
    sampling = false
    await cdp.detach().catch(() => {})
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const fed = (r: DictateResult) => (r.realTime ? 'real time' : `accelerated ${r.speed.toFixed(1)}×`)

export async function dictationBench(log: (line: string) => void): Promise<Row[]> {
  // Real-time dictation's rows (bench/realtime.ts) first; DICTATION_REALTIME_ONLY=1: those alone, DICTATION_REALTIME=0: none.
  const realtime = process.env.DICTATION_REALTIME === '0' ? [] : await realtimeBench(log)
  if (process.env.DICTATION_REALTIME_ONLY === '1') return realtime
  const minutes = (process.env.DICTATION_MINUTES ?? '1,5,10')
    .split(',')
    .map(Number)
    .filter((n) => n > 0)
  const soak = Number(process.env.DICTATION_SOAK ?? 60)
  // A 10 min single file is minutes of pocketsphinx on two loaded cores (nothing in it can be memoised).
  const singleUpTo = Number(process.env.DICTATION_SINGLE_UP_TO ?? 10)
  const speech = await startSpeechServer({ port: 0 })
  const memo = await memoServer(speech.url)
  const proxyTo = (upstream: string, basePath: string) =>
    toNodeListener(
      createVoiceProxy({
        basePath,
        // pocketsphinx on a 10 min file, on two loaded cores, takes minutes (the default allows 60 s).
        timeoutMs: 30 * 60_000,
        providers: Object.fromEntries(
          speech.providers.map(({ id, base }) => [id, { apiKey: speech.apiKey, baseUrl: `${upstream}${base}` }]),
        ),
      }),
    )
  const proxy = proxyTo(memo.url, '/api/voice')
  const script = await bundlePage(fileURLToPath(new URL('./page/dictation.ts', import.meta.url)))
  const server = dictationPageServer(script, (req, res) => {
    const url = req.url ?? '/'
    if (url.startsWith('/api/voice/')) proxy(req, res)
    else if (url === '/bench/live' || url === '/bench/memo') {
      memo.setLive(url === '/bench/live')
      res.writeHead(204).end()
    } else return false
    return true
  })
  const url = `${await listen(server)}/`
  const browser = await chromium.launch({
    ...chromiumLaunchOptions(`${FIXTURES}long-dictation.wav`),
    headless: true,
  })
  const open = async () => {
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForFunction(() => document.title === 'ready')
    // biome-ignore lint/suspicious/noExplicitAny: the page's own API
    await page.evaluate(() => (window as any).bench.load())
    return page
  }
  const bench = (page: Page, name: string, ...args: unknown[]) =>
    // biome-ignore lint/suspicious/noExplicitAny: the page's own API
    page.evaluate(([n, a]) => (window as any).bench[n as string](...(a as unknown[])), [name, args] as const)

  const rows: Row[] = [...realtime]
  let longest = { minutes: 0, peak: 0, live: 0 }
  try {
    for (const m of minutes) {
      const speed = m <= 1 ? 1 : Number.POSITIVE_INFINITY
      log(`dictation: ${m} min of speech (${speed === 1 ? 'real time' : 'accelerated'}), then as one file`)
      const page = await open()
      const t0 = performance.now()
      const heap = await withPeakHeap(
        page,
        () => bench(page, 'dictate', m, speed, '/api/voice/dify') as Promise<DictateResult>,
      )
      const r = heap.result
      log(
        `  continuous ${seconds(performance.now() - t0)} wall (${r.segments} segments, fed at ${r.speed.toFixed(1)}×)`,
      )
      const { hits, misses } = memo.take()
      const single =
        m <= singleUpTo ? ((await bench(page, 'single', m, '/api/voice/dify')) as { ms: number; text: string }) : null
      await page.close()
      const recall = orderedRecall(r.expected, r.text)
      const singleRecall = single ? orderedRecall(r.expected, single.text).toFixed(3) : '—'
      log(`  ${seconds(performance.now() - t0)} wall; recall ${recall.toFixed(3)}; peak ${heap.peak.toFixed(1)} MiB`)
      if (m >= longest.minutes) longest = { minutes: m, peak: heap.peak, live: heap.live }
      rows.push({
        group: 'dictation',
        name: `stop → whole text, ${m} min of speech (Chromium, Dify route through the proxy, local pocketsphinx)`,
        ours: `${seconds(r.stopMs)} continuous (${r.segments} segments)`,
        baseline: single
          ? `${seconds(single.ms)} single file`
          : `single file not measured (DICTATION_SINGLE_UP_TO=${singleUpTo})`,
        ratio: single ? r.stopMs / single.ms : null,
        note:
          `${fed(r)}; first words ${(r.firstTextMs / 1000).toFixed(1)} s after the start; ` +
          `recall ${recall.toFixed(3)} continuous, ${singleRecall} single file (in order, ${r.expected.split(' ').length} words); ` +
          `peak JS heap ${heap.peak.toFixed(1)} MiB (${heap.before.toFixed(1)} before, ${heap.after.toFixed(1)} after gc); ` +
          `live after gc at most ${heap.live.toFixed(1)} MiB; ` +
          `${r.failed} failed, ${r.pendingAtStop} pending at stop; ${misses} segments recognised live, ${hits} from the memo; ${r.status}; load average ${loadavg()[0]!.toFixed(1)}`,
      })
    }
    if (soak > 0) {
      log(`dictation: ${soak} min soak, accelerated`)
      const page = await open()
      const t0 = performance.now()
      const heap = await withPeakHeap(
        page,
        () => bench(page, 'dictate', soak, Number.POSITIVE_INFINITY, '/api/voice/dify') as Promise<DictateResult>,
      )
      await page.close()
      const r = heap.result
      const wall = performance.now() - t0
      const recall = orderedRecall(r.expected, r.text)
      const { hits, misses } = memo.take()
      log(`  ${seconds(wall)} wall; recall ${recall.toFixed(3)}; peak ${heap.peak.toFixed(1)} MiB`)
      rows.push({
        group: 'dictation',
        name: `soak: ${soak} min of continuous dictation, accelerated (Chromium, through the proxy): peak JS heap`,
        ours: `${heap.peak.toFixed(1)} MiB`,
        baseline: longest.peak ? `${longest.peak.toFixed(1)} MiB at ${longest.minutes} min` : '—',
        ratio: longest.peak ? heap.peak / longest.peak : null,
        note:
          `${fed(r)}; recall ${recall.toFixed(3)} (in order, ${r.expected.split(' ').length} words); ` +
          `${r.segments} segments, ${r.failed} failed; live after gc at most ${heap.live.toFixed(1)} MiB ` +
          `(${longest.live.toFixed(1)} MiB at ${longest.minutes} min); ${heap.after.toFixed(1)} MiB after gc at the end; ` +
          `${misses} segments recognised live, ${hits} from the memo; ${Math.round(wall / 1000)} s wall; ${r.status}`,
      })
    }
  } finally {
    await browser.close()
    server.closeAllConnections()
    server.close()
    memo.close()
    await speech.close()
  }
  return rows
}
