// A fresh machine without the speech engines: `pnpm dev` still starts, the terminal prints the one line that
// installs them (before Vite starts, and again from the speech server's /health), and the page says the same
// where each feature is, instead of "Transcription failed." after the fact.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { chromiumLaunchOptions } from '../../../test/browser/engines'
import { type DevServer, startDevServer } from './dev-server'

const fakeMicrophone = fileURLToPath(new URL('../../../fixtures/speech/kitchen-lights.wav', import.meta.url))
const ENGINES = /^(flite.*|pocketsphinx.*|ffmpeg|ffprobe)$/
const INSTALL = 'apt-get install -y flite pocketsphinx pocketsphinx-en-us ffmpeg'

/** A PATH with every program of this one except the speech engines: symlinks in one folder. */
function pathWithoutEngines(): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'no-speech-engines-'))
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    let names: string[] = []
    try {
      names = readdirSync(folder)
    } catch {}
    for (const name of names) {
      if (ENGINES.test(name)) continue
      try {
        symlinkSync(join(folder, name), join(bin, name))
      } catch {} // the first folder on PATH wins, as it does for the shell
    }
  }
  return { path: bin, dir }
}

let server: DevServer
let browser: Browser
let hidden: { path: string; dir: string }

beforeAll(async () => {
  hidden = pathWithoutEngines()
  server = await startDevServer({ command: 'pnpm dev', env: { ...process.env, PATH: hidden.path }, timeoutMs: 90_000 })
  browser = await chromium.launch({ ...chromiumLaunchOptions(fakeMicrophone), headless: true })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  rmSync(hidden.dir, { recursive: true, force: true })
})

test('the terminal prints the install line before Vite starts, and what /health knows', () => {
  const output = server.output()
  const line = output.split('\n').findIndex((l) => l.includes(INSTALL))
  const vite = output.split('\n').findIndex((l) => /VITE v\d/.test(l))
  expect(line, output).toBeGreaterThanOrEqual(0)
  expect(line, output).toBeLessThan(vite)
  // The speech server's own words, from /health, one line per engine.
  expect(output).toMatch(/✗ Reading aloud: .*'flite' not found/)
  expect(output).toMatch(/✗ Dictation: .*'pocketsphinx_continuous' not found/)
  expect(output).toContain(`Install what is missing with: ${process.getuid?.() === 0 ? '' : 'sudo '}${INSTALL}`)
  // Only the speech engines: never the test browsers.
  expect(output).not.toMatch(/chromium|firefox|webkit|xvfb|gstreamer/i)
})

test('the page says it where each feature is, and Read aloud cannot fail for it', async () => {
  const page = await browser.newPage()
  await page.goto(server.url)
  const dictation = page.getByRole('region', { name: 'Dictation' })
  const notice = dictation.getByRole('note')
  await notice.waitFor()
  expect(await notice.textContent()).toMatch(
    /Dictation needs pocketsphinx .*apt-get install -y pocketsphinx pocketsphinx-en-us/,
  )
  const read = page.getByRole('region', { name: 'Read aloud' })
  expect(await read.getByRole('note').textContent()).toMatch(/Reading aloud needs flite .*apt-get install -y flite/)
  expect(await read.getByRole('button', { name: 'Read aloud' }).isDisabled()).toBe(true)
  const timestamps = page.getByRole('region', { name: 'Transcript with timestamps' })
  expect(await timestamps.getByRole('note').textContent()).toMatch(
    /apt-get install -y pocketsphinx pocketsphinx-en-us ffmpeg/,
  )
  expect(await page.getByRole('status').first().textContent()).toMatch(/flite, pocketsphinx, ffmpeg not installed yet/)

  // Dictating anyway: one message, which points at the note, not a bare "Transcription failed.".
  const mic = dictation.getByRole('button', { name: 'Dictate' })
  await mic.click()
  await expect.poll(() => mic.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true')
  await page.waitForTimeout(1_500)
  await mic.click()
  const alert = dictation.getByRole('alert')
  await alert.waitFor({ timeout: 30_000 })
  expect(await alert.textContent()).toBe('Dictation is not set up on this computer yet: see the note above.')
  await page.close()
})
