// Playback in real engines: time to first audio through each playback engine a browser has (Chromium:
// mse and webaudio; Firefox: webaudio; WebKit: mse and webaudio) against the whole-blob approach and a
// minimal MediaSource loop; first audio after the first byte and underruns over a whole utterance at 1×,
// also as a fresh page's first utterance; underruns over a pause between two sentences; audio seconds per
// wall second at playbackRate 2; long playback in Chromium. (The underrun counts and the speed were exact
// verdicts in player.browser.test.ts; on a loaded machine they are the machine's, so they are figures here.)

import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PlaybackEngine } from '@voicekit/core'
import { servePage } from './browser.ts'
import { type BrowserEngine, type EnginePage, engineName, openEnginePage } from './engine-page.ts'
import { mediaDir, speechMp3 } from './media.ts'
import { median, type Row } from './stats.ts'

const UTTERANCE_S = 10
const LONG = { repeat: 360, rate: 16, wallSeconds: 20 } // an hour of audio, 16×, 20 s of it sampled
/** A short first sentence, the server's silence before the next (longer), how long the speed is sampled. */
const FIRST_SENTENCE_S = 2
const PAUSE_MS = 3500
const RATE = { rate: 2, wallMs: 3000 }

interface FirstAudio {
  ours: number[]
  mse: number[]
  blob: number
}
interface Long {
  samples: { wallS: number; audioS: number; behindS: number; heapMiB: number | null }[]
  fedMiB?: number
  quota?: boolean
}

function firstAudioRows(engine: string, speed: number, r: FirstAudio): Row[] {
  const ours = median(r.ours)
  const rows: Row[] = [
    {
      group: 'playback',
      name: `time to first audio, ${engine}, ${UTTERANCE_S} s utterance at ${speed}× real time`,
      ours: `${ours.toFixed(0)} ms`,
      baseline: `${r.blob.toFixed(0)} ms whole blob + new Audio()`,
      ratio: ours / r.blob,
      note: `median of ${r.ours.length}`,
    },
  ]
  if (r.mse.length) {
    const mse = median(r.mse)
    rows.push({
      group: 'playback',
      name: `player overhead over a minimal MediaSource loop, ${engine}, ${speed}×`,
      ours: `${ours.toFixed(0)} ms`,
      baseline: `${mse.toFixed(0)} ms minimal MSE loop`,
      ratio: ours / mse,
      note: `${ours - mse >= 0 ? '+' : '−'}${Math.abs(ours - mse).toFixed(0)} ms`,
    })
  }
  return rows
}

const last = <T>(list: T[]) => list[list.length - 1]

interface Whole {
  firstAudioAfterFirstByteMs: number
  underruns: number
  longerMs: number
}

function pauseRow(browser: string, engine: string, underruns: number): Row {
  return {
    group: 'playback',
    name: `${browser} ${engine}: underruns over a ${PAUSE_MS / 1000} s pause after a ${FIRST_SENTENCE_S} s sentence, before a ${UTTERANCE_S} s one`,
    ours: `${underruns} underruns`,
    baseline: '1 underrun (the pause itself)',
    ratio: underruns,
    note: "the player's underrun count: the pause runs the output dry once; more is the page starved",
  }
}

function rateRow(browser: string, engine: string, speed: number): Row {
  return {
    group: 'playback',
    name: `${browser} ${engine}: audio seconds per wall-clock second at playbackRate ${RATE.rate}`,
    ours: `${speed.toFixed(2)} s/s`,
    baseline: `${RATE.rate.toFixed(2)} s/s`,
    ratio: speed / RATE.rate,
    note: `currentTime over ${RATE.wallMs / 1000} s of wall clock once audible, the stream fed fast`,
  }
}

function underrunRow(browser: string, engine: string, r: Whole): Row {
  return {
    group: 'playback',
    name: `${browser} ${engine}: first audio after the first byte, and underruns, ${UTTERANCE_S} s at 1× real time`,
    ours: `${r.firstAudioAfterFirstByteMs.toFixed(0)} ms, ${r.underruns} underruns`,
    baseline: '≤ 100 ms, 0 underruns',
    ratio: r.firstAudioAfterFirstByteMs / 100,
    note: `the player's own firstAudioMs − firstByteMs and underrun count; played ${(r.longerMs / 1000).toFixed(2)} s longer than the audio`,
  }
}

/** Playback engines measured per browser: every one it has for MP3 (webaudio is the player's default at rate 1). */
const PLAYBACK: Record<BrowserEngine, PlaybackEngine[]> = {
  chromium: ['webaudio', 'mse'],
  firefox: ['webaudio'],
  webkit: ['webaudio', 'mse'],
}

export async function playbackBench(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = []
  const short = `/media/${basename(speechMp3(UTTERANCE_S, '64k'))}`
  const hourPart = `/media/${basename(speechMp3(10, '32k'))}`
  const first = `/media/${basename(speechMp3(FIRST_SENTENCE_S, '64k'))}`
  const server = await servePage(fileURLToPath(new URL('./page/playback.ts', import.meta.url)), mediaDir())
  try {
    for (const browser of ['chromium', 'firefox', 'webkit'] as const) {
      const name = engineName[browser]
      log(`playback: ${name}`)
      const page = await openEnginePage(browser, server.url)
      try {
        for (const engine of PLAYBACK[browser]) {
          // The default engine also at 4× (a fast network, a fast server).
          const speeds = engine === 'webaudio' ? [1, 4] : [1]
          for (const speed of speeds) {
            log(`playback: ${name} ${engine}, first audio at ${speed}×`)
            const r = await page.call<FirstAudio>('firstAudio', short, UTTERANCE_S, speed, engine, 3)
            rows.push(...firstAudioRows(`${name} ${engine}`, speed, r))
          }
          log(`playback: ${name} ${engine}, the whole utterance at 1×`)
          rows.push(underrunRow(name, engine, await page.call<Whole>('whole', short, UTTERANCE_S, engine)))
          log(`playback: ${name} ${engine}, a pause between sentences`)
          const paused = await page.call<{ underruns: number }>('pauseBetween', first, short, engine, PAUSE_MS)
          rows.push(pauseRow(name, engine, paused.underruns))
          log(`playback: ${name} ${engine}, at playbackRate ${RATE.rate}`)
          const fast = await page.call<{ speed: number }>('rateSpeed', short, engine, RATE.rate, RATE.wallMs)
          rows.push(rateRow(name, engine, fast.speed))
        }
        if (browser === 'chromium') rows.push(...(await longRows(page, hourPart, log)))
      } finally {
        await page.close()
      }
      log(`playback: ${name} webaudio, a fresh page's first utterance at 1×`)
      rows.push(await firstOfPageRow(browser, server.url, short))
    }
  } finally {
    await server.close()
  }
  return rows
}

/** Runs of a fresh page's first utterance (each in a new browser). */
const FRESH_RUNS = 3
/** From the click to the first byte: a speech request's round trip (the local speech server's is 300–700 ms). */
const REQUEST_MS = 300

/**
 * A page's first utterance, through the player's default engine: the first `decodeAudioData` of a page loads
 * the decoder, which `unlock()` in the click starts while the request is on its way.
 */
async function firstOfPageRow(browser: BrowserEngine, url: string, short: string): Promise<Row> {
  const runs: Whole[] = []
  for (let i = 0; i < FRESH_RUNS; i++) {
    const page = await openEnginePage(browser, url)
    try {
      runs.push(await page.call<Whole>('whole', short, UTTERANCE_S, 'webaudio', REQUEST_MS))
    } finally {
      await page.close()
    }
  }
  const ms = median(runs.map((r) => r.firstAudioAfterFirstByteMs))
  const underruns = runs.map((r) => r.underruns)
  return {
    group: 'playback',
    name: `${engineName[browser]} webaudio: a fresh page's first utterance, first audio after the first byte, ${UTTERANCE_S} s at 1×`,
    ours: `${ms.toFixed(0)} ms, ${Math.max(...underruns)} underruns`,
    baseline: '≤ 100 ms, 0 underruns',
    ratio: ms / 100,
    note: `median of ${FRESH_RUNS} new browsers (${runs.map((r) => r.firstAudioAfterFirstByteMs.toFixed(0)).join(', ')} ms; underruns ${underruns.join(', ')}); first byte ${REQUEST_MS} ms after the click's unlock()`,
  }
}

async function longRows(page: EnginePage, hourPart: string, log: (line: string) => void): Promise<Row[]> {
  log('playback: Chromium one-hour stream, fast')
  const ours = await page.call<Long>('longPlayback', hourPart, LONG.repeat, LONG.rate, LONG.wallSeconds, 'mse')
  const bare = await page.call<Long>('longMinimalMse', hourPart, LONG.repeat, LONG.rate, LONG.wallSeconds)
  const o = last(ours.samples)
  const b = last(bare.samples)
  if (!o || !b) return []
  const maxBehind = Math.max(...ours.samples.map((s) => s.behindS))
  const heap = (l: Long) => l.samples.map((s) => s.heapMiB ?? 0)
  const h = heap(ours)
  return [
    {
      group: 'playback',
      name: `1 h stream at ${LONG.rate}×, fed fast: buffered behind after ${LONG.wallSeconds} s (max)`,
      ours: `${o.behindS.toFixed(0)} s (${maxBehind.toFixed(0)} s)`,
      baseline: `${b.behindS.toFixed(0)} s minimal MSE loop`,
      ratio: b.behindS ? o.behindS / b.behindS : null,
      note: `${o.audioS.toFixed(0)} s of audio played; voicekit keeps 10–20 s for seeking back${bare.quota ? '; the minimal loop hit QuotaExceededError and Chromium evicted for it' : ''}`,
    },
    {
      group: 'playback',
      name: '1 h stream: JS heap, first → last sample (max)',
      ours: `${h[0]?.toFixed(1)} → ${last(h)?.toFixed(1)} MiB (${Math.max(...h).toFixed(1)})`,
      baseline: `${heap(bare)[0]?.toFixed(1)} → ${last(heap(bare))?.toFixed(1)} MiB minimal loop`,
      ratio: (last(h) ?? 0) / (last(heap(bare)) || 1),
      note: `whole hour held by the page as input: ${((LONG.repeat * 40_000) / 2 ** 20).toFixed(0)} MiB`,
    },
  ]
}
