// Real-time dictation's figures, in `pnpm bench dictation` (DICTATION_REALTIME_ONLY=1: these rows alone):
// the fixture's first sentences (DICTATION_REALTIME_SENTENCES, default 8) fed in real time
// (createSamplesPcm, speed 1) in Chromium, Firefox and WebKit, Scribe realtime through the proxy's relay
// (createVoiceProxy + toNodeListener + toUpgradeListener on one node:http server) to the local speech
// server, against the segment mode (a WAV per pause over HTTP, the same route's transcriber):
//  1. a word's end in the audio → its first appearance on screen (text + ' ' + interim), median and p90
//     over the words. The word's end is pocketsphinx's own alignment of the same audio (the speech
//     server's OpenAI route with word timestamps), on the page's audio clock: 0 is the time the first
//     100 ms chunk was delivered.
//  2. a sentence's end (long-dictation.json) → its words are final text, median over the sentences.
//  3. the relay's added latency per frame and its throughput: a `ws` echo server in this process reached
//     directly and through createVoiceProxy's relay (the ElevenLabs socket route, its baseUrl the echo).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { createVoiceProxy, toNodeListener, toUpgradeListener } from '@voicekit/proxy'
import { WebSocket, WebSocketServer } from 'ws'
import { startSpeechServer } from '../apps/speech-server/src/server.ts'
import { bundlePage } from './bundle.ts'
import { BROWSER_ENGINES, type BrowserEngine, engineName, openEnginePage } from './engine-page.ts'
import { dictationPageServer, FIXTURES } from './media.ts'
import type { TimedDictation } from './page/dictation.ts'
import { wordsOf } from './recall.ts'
import { median, type Row } from './stats.ts'

const RATE = 16_000
const listen = (server: ReturnType<typeof createServer>) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  )
const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  if (!sorted.length) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}
const ms = (x: number) => `${Math.round(x)} ms`
const load = () => `load average ${loadavg()[0]!.toFixed(1)}`

/** Index pairs [i in a, j in b] of a longest common subsequence of two word lists (ties: earliest in b). */
export function align(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length
  const m = b.length
  // suffix[i][j]: the LCS of a[i..] and b[j..].
  const suffix = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      suffix[i]![j] = a[i] === b[j] ? suffix[i + 1]![j + 1]! + 1 : Math.max(suffix[i + 1]![j]!, suffix[i]![j + 1]!)
  const pairs: [number, number][] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j])
      i++
      j++
    } else if (suffix[i + 1]![j]! >= suffix[i]![j + 1]!) i++
    else j++
  }
  return pairs
}

interface Word {
  word: string
  end: number
}

/** For each reference word, the first change (ms) at which it is visible at its place; NaN if never. */
function firstSeen(
  reference: readonly string[],
  changes: TimedDictation['changes'],
  visible: (c: TimedDictation['changes'][number]) => string,
) {
  const seen = new Array<number>(reference.length).fill(Number.NaN)
  for (const change of changes)
    for (const [i] of align(reference, wordsOf(visible(change)))) if (Number.isNaN(seen[i]!)) seen[i] = change.ms
  return seen
}

/** Figures 1 and 2 of one run. */
function measure(run: TimedDictation, timed: readonly Word[], sentences: { text: string; end: number }[]) {
  const onScreen = firstSeen(
    timed.map((w) => w.word),
    run.changes,
    (c) => `${c.text} ${c.interim}`,
  )
  const wordLags = timed.flatMap((w, i) => (Number.isNaN(onScreen[i]!) ? [] : [onScreen[i]! - w.end * 1000]))
  const script = sentences.flatMap((s, k) => s.text.split(' ').map((word) => ({ word, sentence: k })))
  const final = firstSeen(
    script.map((w) => w.word),
    run.changes,
    (c) => c.text,
  )
  const sentenceLags = sentences.flatMap((s, k) => {
    const times = script.flatMap((w, i) => (w.sentence === k && !Number.isNaN(final[i]!) ? [final[i]!] : []))
    return times.length ? [Math.max(...times) - s.end * 1000] : []
  })
  return { wordLags, sentenceLags, words: timed.length, sentences: sentences.length }
}

/** The first `count` sentences of the fixture as a WAV (to the next sentence's start), as the page cuts them. */
function fixtureCut(count: number) {
  const wav = readFileSync(`${FIXTURES}long-dictation.wav`)
  const json = JSON.parse(readFileSync(`${FIXTURES}long-dictation.json`, 'utf8')) as {
    sentences: { text: string; start: number; end: number }[]
  }
  const next = json.sentences[count]
  const samples = next ? Math.round(next.start * RATE) : (wav.length - 44) / 2
  const out = Buffer.concat([wav.subarray(0, 44), wav.subarray(44, 44 + samples * 2)])
  out.writeUInt32LE(36 + samples * 2, 4)
  out.writeUInt32LE(samples * 2, 40)
  return { wav: out, sentences: json.sentences.slice(0, count), seconds: samples / RATE }
}

/** pocketsphinx's word times for the audio, over HTTP (the OpenAI route, `timestamp_granularities[]=word`). */
async function wordTimes(speechUrl: string, apiKey: string, wav: Buffer): Promise<Word[]> {
  const form = new FormData()
  form.set('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'speech.wav')
  form.set('model', 'whisper-1')
  form.set('response_format', 'verbose_json')
  form.append('timestamp_granularities[]', 'word')
  const answer = await fetch(`${speechUrl}/openai/v1/audio/transcriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  })
  if (!answer.ok) throw new Error(`word timestamps: ${answer.status} ${await answer.text()}`)
  const body = (await answer.json()) as { words?: { word: string; start: number; end: number }[] }
  return (body.words ?? []).flatMap((w) => wordsOf(w.word).map((word) => ({ word, end: w.end })))
}

async function dictationRows(log: (line: string) => void, engines: BrowserEngine[]): Promise<Row[]> {
  const count = Number(process.env.DICTATION_REALTIME_SENTENCES ?? 8)
  const cut = fixtureCut(count)
  // What the speech server did: its real-time events by type (interims sent, finals), for the notes.
  let events: Record<string, number> = {}
  // The speech server's own share of a final: its commit → its final (pocketsphinx finishing the utterance).
  let commits = new Map<string, number>()
  let decodeMs: number[] = []
  const speech = await startSpeechServer({
    port: 0,
    onEvent: (e) => {
      if (e.type.startsWith('realtime')) events[e.type] = (events[e.type] ?? 0) + 1
      if (e.type === 'realtime-commit') commits.set(`${e.id} ${e.item}`, e.at)
      if (e.type === 'realtime-final') {
        const at = commits.get(`${e.id} ${e.item}`)
        if (at !== undefined) decodeMs.push(e.at - at)
      }
    },
  })
  const proxy = createVoiceProxy({
    basePath: '/api/voice',
    providers: Object.fromEntries(
      speech.providers.map(({ id, base }) => [id, { apiKey: speech.apiKey, baseUrl: `${speech.url}${base}` }]),
    ),
  })
  const listener = toNodeListener(proxy)
  const script = await bundlePage(fileURLToPath(new URL('./page/dictation.ts', import.meta.url)))
  const server = dictationPageServer(script, (req, res) => {
    if (!req.url?.startsWith('/api/voice/')) return false
    listener(req, res)
    return true
  })
  server.on('upgrade', toUpgradeListener(proxy))
  const url = `${await listen(server)}/`
  const rows: Row[] = []
  try {
    // The reference: every word pocketsphinx recognises in the whole cut, kept where it is a word of the script.
    const all = await wordTimes(speech.url, speech.apiKey, cut.wav)
    const scriptWords = cut.sentences.flatMap((s) => s.text.split(' '))
    const timed = align(
      all.map((w) => w.word),
      scriptWords,
    ).map(([i]) => all[i]!)
    log(
      `realtime: ${timed.length} of ${scriptWords.length} script words timed by pocketsphinx (${all.length} recognised)`,
    )
    for (const engine of engines) {
      const name = engineName[engine]
      let interims = 0
      const runs: Partial<Record<'realtime' | 'continuous', TimedDictation>> = {}
      for (const mode of ['realtime', 'continuous'] as const) {
        log(`realtime: ${name}, ${count} sentences (${cut.seconds.toFixed(1)} s) in real time, ${mode} mode`)
        events = {}
        commits = new Map()
        if (mode === 'realtime') decodeMs = []
        try {
          const page = await openEnginePage(engine, url)
          try {
            await page.call('load')
            runs[mode] = await page.call<TimedDictation>('timed', mode, count, '/api/voice/elevenlabs')
          } finally {
            await page.close()
          }
        } catch (error) {
          log(`  ${name} ${mode} FAILED: ${error instanceof Error ? error.message : String(error)}`)
          break
        }
        const r = runs[mode]!
        log(`  speech server: ${JSON.stringify(events)}`)
        if (mode === 'realtime') interims = events['realtime-interim'] ?? 0
        log(
          `  ${r.mode} ${r.status}, ${r.changes.length} changes, ${r.segments} segments${r.error ? `, error ${r.error}` : ''}: ${r.text}`,
        )
      }
      if (!runs.realtime || !runs.continuous) {
        rows.push({
          group: 'realtime',
          name: `${name}: real-time dictation figures`,
          ours: 'not measured (the run failed: see the log)',
          baseline: '—',
          ratio: null,
        })
        continue
      }
      const serverShare = `speech server: ${interims} interims sent, commit → final ${ms(median(decodeMs))} median (pocketsphinx's share)`
      const rt = measure(runs.realtime!, timed, cut.sentences)
      const seg = measure(runs.continuous!, timed, cut.sentences)
      const rtMedian = median(rt.wordLags)
      const segMedian = median(seg.wordLags)
      const notes = (r: TimedDictation) =>
        `${r.mode} ${r.status}${r.error ? ` (${r.error})` : ''}, start() resolved ${ms(r.startMs)} from the first chunk`
      rows.push({
        group: 'realtime',
        name: `${name}: a word's end in the audio → the word on screen, real-time vs segment mode (${count} sentences fed in real time, Scribe through the proxy's relay, local pocketsphinx)`,
        ours: `${ms(rtMedian)} median, ${ms(quantile(rt.wordLags, 0.9))} p90 real time`,
        baseline: `${ms(segMedian)} median, ${ms(quantile(seg.wordLags, 0.9))} p90 segment mode`,
        ratio: rtMedian / segMedian,
        note:
          `target ≤ 500 ms; over ${rt.wordLags.length} (real time) and ${seg.wordLags.length} (segment) of ${timed.length} words timed by pocketsphinx's alignment of the same audio (words never shown left out); ` +
          `audio clock from the first 100 ms chunk's delivery; ${notes(runs.realtime!)}; ${notes(runs.continuous!)}; ${load()}`,
      })
      const rtFinal = median(rt.sentenceLags)
      const segFinal = median(seg.sentenceLags)
      rows.push({
        group: 'realtime',
        name: `${name}: end of speech → final transcript, real-time mode vs segment mode (each sentence's end → its words final text)`,
        ours: `${ms(rtFinal)} median, ${ms(Math.max(...rt.sentenceLags))} max real time`,
        baseline: `${ms(segFinal)} median, ${ms(Math.max(...seg.sentenceLags))} max segment mode`,
        ratio: rtFinal / segFinal,
        note:
          `target ≤ 300 ms; over ${rt.sentenceLags.length} (real time) and ${seg.sentenceLags.length} (segment) of ${count} sentences, ends from long-dictation.json; ` +
          `per sentence real time: ${rt.sentenceLags.map((x) => Math.round(x)).join(', ')} ms; ${serverShare}; ${load()}`,
      })
      log(`  ${rows.at(-2)!.ours} | ${rows.at(-2)!.baseline}; final ${rows.at(-1)!.ours} | ${rows.at(-1)!.baseline}`)
    }
  } finally {
    server.closeAllConnections()
    server.close()
    await speech.close()
  }
  return rows
}

/** Figure 3: the relay's added latency per frame, and frames per second, against a direct connection. */
async function relayRows(log: (line: string) => void): Promise<Row[]> {
  const echoHttp = createServer()
  const echo = new WebSocketServer({ server: echoHttp })
  echo.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })))
  const echoUrl = await listen(echoHttp)
  const proxy = createVoiceProxy({
    basePath: '/api/voice',
    providers: { elevenlabs: { apiKey: 'bench-key', baseUrl: echoUrl } },
  })
  const front = createServer(toNodeListener(proxy))
  front.on('upgrade', toUpgradeListener(proxy))
  const frontUrl = await listen(front)
  const path = '/v1/speech-to-text/realtime?model_id=scribe_v2_realtime&audio_format=pcm_16000'
  const direct = `${echoUrl.replace('http', 'ws')}${path}`
  const relayed = `${frontUrl.replace('http', 'ws')}/api/voice/elevenlabs${path}`
  const frame = Buffer.alloc(3200, 7) // 100 ms of 16 kHz PCM
  const ROUND_TRIPS = Number(process.env.RELAY_ROUND_TRIPS ?? 2000)
  const BURST = Number(process.env.RELAY_BURST ?? 20_000)

  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { origin: frontUrl } })
      socket.once('open', () => resolve(socket))
      socket.once('error', reject)
      socket.once('unexpected-response', (_req, res) => reject(new Error(`${url}: ${res.statusCode}`)))
    })
  const roundTrips = async (url: string) => {
    const socket = await open(url)
    const times: number[] = []
    for (let i = 0; i < ROUND_TRIPS + 100; i++) {
      const t0 = performance.now()
      await new Promise<void>((resolve) => {
        socket.once('message', () => resolve())
        socket.send(frame)
      })
      if (i >= 100) times.push(performance.now() - t0) // the first 100 warm up
    }
    socket.close()
    return times
  }
  const throughput = async (url: string) => {
    const socket = await open(url)
    let got = 0
    const t0 = performance.now()
    await new Promise<void>((resolve) => {
      socket.on('message', () => {
        if (++got === BURST) resolve()
      })
      // At most 64 frames in flight: the relay's own backpressure, not a kernel buffer, is measured.
      let sent = 0
      const pump = () => {
        while (sent < BURST && sent - got < 64) {
          socket.send(frame)
          sent++
        }
        if (sent < BURST) setImmediate(pump)
      }
      pump()
    })
    const seconds = (performance.now() - t0) / 1000
    socket.close()
    return BURST / seconds
  }
  try {
    log(`relay: ${ROUND_TRIPS} round trips of a 3200-byte frame, direct then through the relay, twice`)
    const d1 = await roundTrips(direct)
    const r1 = await roundTrips(relayed)
    const d2 = await roundTrips(direct)
    const r2 = await roundTrips(relayed)
    const d = [...d1, ...d2]
    const r = [...r1, ...r2]
    const fpsDirect = await throughput(direct)
    const fpsRelay = await throughput(relayed)
    const p = (xs: number[], q: number) => quantile(xs, q)
    const us = (x: number) => `${(x * 1000).toFixed(0)} µs`
    log(
      `  round trip p50 ${us(p(r, 0.5))} relayed, ${us(p(d, 0.5))} direct; ${fpsRelay.toFixed(0)} vs ${fpsDirect.toFixed(0)} fps`,
    )
    return [
      {
        group: 'realtime',
        name: "relay: round trip of a 100 ms audio frame (3200 bytes) to a ws echo upstream, through createVoiceProxy's relay vs direct (Node ws client)",
        ours: `${us(p(r, 0.5))} p50, ${us(p(r, 0.99))} p99 relayed`,
        baseline: `${us(p(d, 0.5))} p50, ${us(p(d, 0.99))} p99 direct`,
        ratio: p(r, 0.5) / p(d, 0.5),
        note: `added per round trip (both ways through the relay): ${us(p(r, 0.5) - p(d, 0.5))} p50, ${us(p(r, 0.99) - p(d, 0.99))} p99; ${r.length} round trips each, interleaved direct/relayed; ElevenLabs socket route, baseUrl the echo; ${load()}`,
      },
      {
        group: 'realtime',
        name: 'relay: frames per second echoed (3200-byte frames, 64 in flight), through the relay vs direct',
        ours: `${fpsRelay.toFixed(0)} frames/s relayed`,
        baseline: `${fpsDirect.toFixed(0)} frames/s direct`,
        ratio: fpsRelay / fpsDirect,
        note: `${BURST} frames each way; real time is 10 frames/s per dictation (100 ms chunks); higher is better; ${load()}`,
      },
    ]
  } finally {
    front.closeAllConnections()
    front.close()
    for (const client of echo.clients) client.terminate()
    echo.close()
    echoHttp.closeAllConnections()
    echoHttp.close()
  }
}

export async function realtimeBench(log: (line: string) => void): Promise<Row[]> {
  const asked = (process.env.DICTATION_REALTIME_ENGINES ?? BROWSER_ENGINES.join(','))
    .split(',')
    .filter((e): e is BrowserEngine => (BROWSER_ENGINES as string[]).includes(e))
  const rows: Row[] = []
  rows.push(...(await relayRows(log)))
  rows.push(...(await dictationRows(log, asked)))
  return rows
}
