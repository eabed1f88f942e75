// `pnpm dev` runs `ensure-system-deps.mjs --demo` before Vite: with the speech engines out of reach it prints the
// one line that installs them, and still lets the demo start (exit 0); it never touches the test browsers.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { DEBIAN_PACKAGES, DEMO_PACKAGES, demoAdvice, missingEngines, type SpeechEngine } from './ensure-system-deps.mjs'

const script = fileURLToPath(new URL('./ensure-system-deps.mjs', import.meta.url))
const bin = mkdtempSync(join(tmpdir(), 'no-speech-'))
symlinkSync(process.execPath, join(bin, 'node'))
afterAll(() => rmSync(bin, { recursive: true, force: true }))

test('the demo set is the speech engines only; the test set adds the browsers', () => {
  expect(DEMO_PACKAGES).toEqual(['flite', 'pocketsphinx', 'pocketsphinx-en-us', 'ffmpeg'])
  expect(DEBIAN_PACKAGES).toEqual(expect.arrayContaining([...DEMO_PACKAGES, 'chromium', 'firefox-esr', 'xvfb']))
})

test('--demo with the engines off PATH: prints the one-line install command and exits 0', () => {
  // As root on Debian the packages count as installed (dpkg), so nothing is installed here; only PATH hides them.
  const result = spawnSync(process.execPath, [script, '--demo'], {
    env: { PATH: bin },
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(result.status).toBe(0)
  const output = result.stdout + result.stderr
  expect(output).toMatch(/^ {4}(sudo )?apt-get install -y flite pocketsphinx pocketsphinx-en-us ffmpeg$/m)
  expect(output).toContain('flite (reading aloud)')
  expect(output).toContain('pocketsphinx_continuous (dictation)')
  expect(output).not.toMatch(/chromium|firefox|xvfb|gstreamer/i)
})

test('--demo with the engines on PATH: silent', () => {
  const result = spawnSync(process.execPath, [script, '--demo'], { encoding: 'utf8', timeout: 60_000 })
  expect(result.status).toBe(0)
  expect(result.stdout + result.stderr).toBe('')
})

test('pocketsphinx 5 (a `pocketsphinx` program, no pocketsphinx_continuous) gets its own advice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphinx5-'))
  try {
    symlinkSync('/bin/true', join(dir, 'pocketsphinx'))
    const missing = missingEngines(dir).filter((e: SpeechEngine) => e.packages[0] === 'pocketsphinx')
    const advice = demoAdvice(missing, { root: false, path: dir })
    expect(advice).toContain('is pocketsphinx 5 or later, which has no pocketsphinx_continuous')
    expect(advice).toContain('sudo apt-get install -y pocketsphinx pocketsphinx-en-us')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
