// React renders in headless Chromium: 5 s of recording with the level meter, 10 s of playback with progress,
// 5 s of visualizing the microphone (Waveform) beside bars kept in React state.
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from '../test/browser/engines.ts'
import { servePage } from './browser.ts'
import { FIXTURE_WAV, mediaDir, speechMp3 } from './media.ts'
import type { Row } from './stats.ts'

export async function renderBench(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = []
  const mp3 = `/media/${basename(speechMp3(12, '64k'))}`
  const server = await servePage(fileURLToPath(new URL('./page/renders.tsx', import.meta.url)), mediaDir())
  const browser = await chromium.launch({ ...chromiumLaunchOptions(FIXTURE_WAV), headless: true })
  try {
    const page = await browser.newPage()
    await page.goto(server.url)
    await page.waitForFunction(() => document.title === 'ready')
    const call = <T>(name: string, ...args: unknown[]) =>
      page.evaluate(
        // biome-ignore lint/suspicious/noExplicitAny: the page's own bench API
        ([n, a]) => (window as any).bench[n](...a),
        [name, args] as const,
      ) as Promise<T>

    log('react: 5 s recording')
    const rec = await call<{ renders: number; levelWrites: number }>('recordingOurs', 5000)
    const recState = await call<{ renders: number }>('recordingState', 5000)
    rows.push({
      group: 'react',
      name: 'renders during 5 s of recording with a level meter',
      ours: `${rec.renders}`,
      baseline: `${recState.renders} level in React state per frame`,
      ratio: rec.renders / recState.renders,
      note: `the meter still updated ${rec.levelWrites} times, outside React`,
    })
    log('react: 10 s playback')
    const play = await call<{ renders: number; played: number }>('playbackOurs', mp3, 10_000)
    const audio = await call<{ renders: number }>('playbackAudio', mp3, 10_000)
    rows.push({
      group: 'react',
      name: 'renders during 10 s of playback with progress',
      ours: `${play.renders}`,
      baseline: `${audio.renders} <audio> timeupdate in React state`,
      ratio: play.renders / audio.renders,
      note: `${play.played.toFixed(1)} s played (useSpeak, progress at 4 Hz)`,
    })
    log('react: 5 s visualizing the microphone')
    const wave = await call<{ renders: number; frames: number }>('visualizerOurs', 5000)
    const naive = await call<{ renders: number; frames: number }>('visualizerState', 5000)
    rows.push({
      group: 'react',
      name: 'React renders per animation frame while visualizing (5 s)',
      ours: `${(wave.renders / wave.frames).toFixed(3)} (${wave.renders} in ${wave.frames} frames)`,
      baseline: `${(naive.renders / naive.frames).toFixed(2)} (${naive.renders} in ${naive.frames}) bars in React state`,
      ratio: wave.renders / Math.max(1, naive.renders),
      note: 'Waveform draws on a canvas from the level source, outside React',
    })
  } finally {
    await browser.close()
    await server.close()
  }
  return rows
}
