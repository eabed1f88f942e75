// Capture in headless Chromium: transcode to 16 kHz WAV (30 s and 5 min) and stop-to-request.
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from '../test/browser/engines.ts'
import { servePage } from './browser.ts'
import { FIXTURE_WAV, ffmpeg, mediaDir, speechWebm } from './media.ts'
import { median, type Row } from './stats.ts'

interface CapturePage {
  transcode(url: string, runs: number): Promise<{ ms: number[]; wavBytes: number }>
  stopToRequest(recordMs: number): Promise<Record<string, number>>
}

export async function captureBench(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = []
  const files = { 30: speechWebm(30), 300: speechWebm(300) }
  const server = await servePage(fileURLToPath(new URL('./page/capture.ts', import.meta.url)), mediaDir())
  const browser = await chromium.launch({ ...chromiumLaunchOptions(FIXTURE_WAV), headless: true })
  try {
    const page = await browser.newPage()
    await page.goto(server.url)
    await page.waitForFunction(() => document.title === 'ready')
    const call = <K extends keyof CapturePage>(name: K, ...args: Parameters<CapturePage[K]>) =>
      page.evaluate(
        ([name, args]) =>
          // biome-ignore lint/suspicious/noExplicitAny: the page's own API, typed by CapturePage
          (window as any).bench[name](...args),
        [name, args] as const,
      ) as ReturnType<CapturePage[K]>

    for (const [seconds, runs] of [
      [30, 5],
      [300, 2],
    ] as const) {
      log(`capture: transcode ${seconds} s`)
      const file = files[seconds]
      const ours = await call('transcode', `/media/${basename(file)}`, runs)
      const native: number[] = []
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now()
        ffmpeg(['-i', file, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', `${mediaDir()}/native-${seconds}.wav`])
        native.push(performance.now() - t0)
      }
      const ms = median(ours.ms)
      rows.push({
        group: 'capture',
        name: `transcode ${seconds === 30 ? '30 s' : '5 min'} WebM/Opus → 16 kHz WAV (in page, median of ${runs})`,
        ours: `${ms.toFixed(0)} ms`,
        baseline: `${median(native).toFixed(0)} ms ffmpeg (native, incl. spawn)`,
        ratio: ms / median(native),
        note: `${(seconds / (ms / 1000)).toFixed(0)}× real time; WAV ${(ours.wavBytes / 1024 / 1024).toFixed(1)} MiB`,
      })
    }

    log('capture: stop to request')
    const samples: Record<string, number[]> = {}
    for (let i = 0; i < 3; i++) {
      for (const [key, value] of Object.entries(await call('stopToRequest', 3000))) {
        samples[key] = [...(samples[key] ?? []), value]
      }
    }
    const base = median(samples.baseline ?? [])
    for (const [key, label] of [
      ['openai', 'OpenAI (WebM sent as is)'],
      ['dify', 'Dify (3 s WebM → WAV first)'],
    ] as const) {
      const ours = median(samples[key] ?? [])
      rows.push({
        group: 'capture',
        name: `stop → request, ${label}, median of 3`,
        ours: `${ours.toFixed(1)} ms`,
        baseline: `${base.toFixed(1)} ms bare MediaRecorder stop → Blob`,
        ratio: ours / base,
      })
    }
  } finally {
    await browser.close()
    await server.close()
  }
  return rows
}
