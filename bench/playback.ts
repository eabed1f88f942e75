// Playback in real engines: time to first audio (Chromium: MSE engine; Firefox: webaudio engine)
// against the whole-blob approach and a minimal MediaSource loop; long playback in Chromium.
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import puppeteer from 'puppeteer-core'
import { chromiumLaunchOptions, firefoxLaunchOptions } from '../test/browser/engines.ts'
import { servePage } from './browser.ts'
import { FIXTURE_WAV, mediaDir, speechMp3 } from './media.ts'
import { median, type Row } from './stats.ts'

const UTTERANCE_S = 10
const LONG = { repeat: 360, rate: 16, wallSeconds: 20 } // an hour of audio, 16×, 20 s of it sampled

type Evaluate = <T>(name: string, ...args: unknown[]) => Promise<T>
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

const evaluator =
  (page: { evaluate: (fn: never, arg: never) => Promise<unknown> }): Evaluate =>
  (name, ...args) =>
    page.evaluate(
      // biome-ignore lint/suspicious/noExplicitAny: the page's own bench API
      (([n, a]: [string, unknown[]]) => (window as any).bench[n](...a)) as never,
      [name, args] as never,
    ) as never

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
      name: `player overhead over a minimal MediaSource loop, ${speed}×`,
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
}

function underrunRow(browser: string, engine: string, r: Whole): Row {
  return {
    group: 'playback',
    name: `${browser} ${engine}: first audio after the first byte, and underruns, ${UTTERANCE_S} s at 1× real time`,
    ours: `${r.firstAudioAfterFirstByteMs.toFixed(0)} ms, ${r.underruns} underruns`,
    baseline: '≤ 100 ms, 0 underruns',
    ratio: r.firstAudioAfterFirstByteMs / 100,
    note: "the player's own firstAudioMs − firstByteMs and its underrun count",
  }
}

export async function playbackBench(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = []
  const short = `/media/${basename(speechMp3(UTTERANCE_S, '64k'))}`
  const hourPart = `/media/${basename(speechMp3(10, '32k'))}`
  const server = await servePage(fileURLToPath(new URL('./page/playback.ts', import.meta.url)), mediaDir())
  try {
    const browser = await chromium.launch({ ...chromiumLaunchOptions(FIXTURE_WAV), headless: true })
    try {
      const page = await browser.newPage()
      await page.goto(server.url)
      await page.waitForFunction(() => document.title === 'ready')
      const call = evaluator(page as never)
      for (const speed of [1, 4]) {
        log(`playback: Chromium first audio at ${speed}×`)
        rows.push(
          ...firstAudioRows(
            'Chromium mse',
            speed,
            await call<FirstAudio>('firstAudio', short, UTTERANCE_S, speed, 'mse', 3),
          ),
        )
      }
      // Web Audio from the first decoded frames: the engine that starts within a frame group of the first byte.
      log('playback: Chromium first audio through the webaudio engine at 1×')
      rows.push(
        ...firstAudioRows(
          'Chromium webaudio',
          1,
          await call<FirstAudio>('firstAudio', short, UTTERANCE_S, 1, 'webaudio', 3),
        ),
      )
      for (const engine of ['webaudio', 'mse'] as const)
        rows.push(underrunRow('Chromium', engine, await call('whole', short, UTTERANCE_S, engine)))
      log('playback: Chromium one-hour stream, fast')
      const ours = await call<Long>('longPlayback', hourPart, LONG.repeat, LONG.rate, LONG.wallSeconds, 'mse')
      const bare = await call<Long>('longMinimalMse', hourPart, LONG.repeat, LONG.rate, LONG.wallSeconds)
      const o = last(ours.samples)
      const b = last(bare.samples)
      if (o && b) {
        const maxBehind = Math.max(...ours.samples.map((s) => s.behindS))
        rows.push({
          group: 'playback',
          name: `1 h stream at ${LONG.rate}×, fed fast: buffered behind after ${LONG.wallSeconds} s (max)`,
          ours: `${o.behindS.toFixed(0)} s (${maxBehind.toFixed(0)} s)`,
          baseline: `${b.behindS.toFixed(0)} s minimal MSE loop`,
          ratio: b.behindS ? o.behindS / b.behindS : null,
          note: `${o.audioS.toFixed(0)} s of audio played; voicekit keeps 10–20 s for seeking back${bare.quota ? '; the minimal loop hit QuotaExceededError and Chromium evicted for it' : ''}`,
        })
        const heap = (l: Long) => l.samples.map((s) => s.heapMiB ?? 0)
        const h = heap(ours)
        rows.push({
          group: 'playback',
          name: '1 h stream: JS heap, first → last sample (max)',
          ours: `${h[0]?.toFixed(1)} → ${last(h)?.toFixed(1)} MiB (${Math.max(...h).toFixed(1)})`,
          baseline: `${heap(bare)[0]?.toFixed(1)} → ${last(heap(bare))?.toFixed(1)} MiB minimal loop`,
          ratio: (last(h) ?? 0) / (last(heap(bare)) || 1),
          note: `whole hour held by the page as input: ${((LONG.repeat * 40_000) / 2 ** 20).toFixed(0)} MiB`,
        })
      }
    } finally {
      await browser.close()
    }

    log('playback: Firefox first audio (webaudio engine)')
    const firefox = await puppeteer.launch(firefoxLaunchOptions())
    try {
      const page = await firefox.newPage()
      await page.goto(server.url)
      await page.waitForFunction(() => document.title === 'ready')
      const call = evaluator(page as never)
      rows.push(underrunRow('Firefox', 'webaudio', await call('whole', short, UTTERANCE_S, 'webaudio')))
      for (const speed of [1, 4]) {
        rows.push(
          ...firstAudioRows(
            'Firefox webaudio',
            speed,
            await call<FirstAudio>('firstAudio', short, UTTERANCE_S, speed, 'webaudio', 3),
          ),
        )
      }
    } finally {
      await firefox.close()
    }
  } finally {
    await server.close()
  }
  return rows
}
