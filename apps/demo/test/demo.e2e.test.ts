// The demo as a newcomer meets it: `pnpm dev` (the same Vite config, on a free port)
// in Chromium with the fake microphone playing "please turn on the kitchen lights".
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  chromiumLaunchOptions,
  firefoxLaunchOptions,
  startWebKitDriver,
  webkitCapabilities,
} from '../../../test/browser/engines'
import { type DevServer, startDevServer } from './dev-server'

const artifacts = fileURLToPath(new URL('../../../test-results/demo', import.meta.url))
const fakeMicrophone = fileURLToPath(new URL('../../../fixtures/speech/kitchen-lights.wav', import.meta.url))

let server: DevServer
let browser: Browser

beforeAll(async () => {
  server = await startDevServer()
  browser = await chromium.launch({ ...chromiumLaunchOptions(fakeMicrophone), headless: true })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

test('the demo shows the capability report for the visiting browser', async () => {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(server.url)
  await expect.poll(() => page.getByRole('heading', { name: 'voicekit' }).count()).toBe(1)
  const report = page.getByRole('region', { name: 'What this browser can do' })
  await report.getByText('Recording (MediaRecorder)').waitFor()
  const recorderRow = report.locator('.vk-capabilities__row', { hasText: 'Recording (MediaRecorder)' })
  expect(await recorderRow.getAttribute('data-supported')).toBe('true')
  const formats = await report
    .locator('.vk-capabilities__row', { hasText: 'Recording formats' })
    .locator('dd')
    .textContent()
  expect(formats).toContain('audio/webm;codecs=opus')
  const engine = await report
    .locator('.vk-capabilities__row', { hasText: 'Streaming playback engine' })
    .locator('dd')
    .textContent()
  expect(engine).toBe('mse')
  expect(errors).toEqual([])
  await page.close()
})

test('pnpm dev serves the local speech server through the proxy, and says which real providers are configured', async () => {
  const page = await browser.newPage()
  await page.goto(server.url)
  const result = await page.evaluate(async () => {
    const config = await (await fetch('/api/demo-config')).json()
    const speech = await fetch('/api/local/dify/text-to-audio', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello from the demo.', streaming: true }),
    })
    const bytes = new Uint8Array(await speech.arrayBuffer())
    return {
      config,
      status: speech.status,
      type: speech.headers.get('content-type'),
      size: bytes.length,
      head: [...bytes.slice(0, 2)],
    }
  })
  expect(result.status).toBe(200)
  expect(result.type).toBe('audio/mpeg')
  expect(result.size).toBeGreaterThan(2000)
  // An MP3 file: an ID3 tag or a frame sync.
  expect(result.head[0] === 0x49 || (result.head[0] === 0xff && (result.head[1]! & 0xe0) === 0xe0)).toBe(true)
  expect(result.config.providers.map((p: { name: string }) => p.name)).toEqual(['dify', 'livepeer', 'fish', 'openai'])
  for (const provider of result.config.providers) expect(provider.env).toMatch(/_API_KEY$/)
  await page.close()
})

test("dictation: the fake microphone's speech becomes text in the note", async () => {
  const page = await browser.newPage()
  await page.goto(server.url)
  const dictation = page.getByRole('region', { name: 'Dictation' })
  const mic = dictation.getByRole('button', { name: 'Dictate' })
  await mic.click()
  await expect.poll(() => mic.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true')
  await page.waitForTimeout(4_000) // the fixture phrase is 2.3 s, looped
  await mic.click()
  const note = dictation.getByRole('textbox', { name: 'Note' })
  await expect.poll(() => note.inputValue(), { timeout: 30_000 }).toMatch(/kitchen/)
  expect(await note.inputValue()).toMatch(/turn|lights|please/)
  await page.close()
})

test('read aloud: playback starts while the speech is still streaming in', async () => {
  const page = await browser.newPage()
  await page.goto(server.url)
  const section = page.getByRole('region', { name: 'Read aloud' })
  // Eight sentences: the server encodes one MP3 per sentence, so the stream lasts a while, and the
  // whole utterance stays under the 30 s the player buffers ahead (past it, it stops reading).
  const sentences = Array.from({ length: 8 }, (_, i) => `This is sentence number ${i + 1} of the test.`)
  await section.getByRole('textbox', { name: 'Text to speak' }).fill(sentences.join(' '))
  let streamEndedAt = 0
  // When the network transfer ends. Chromium reports a fetch whose body a stream reader consumed
  // as 'requestfailed' (net::ERR_ABORTED) once the transfer is over, even though every byte was read.
  const transferEnded = (request: { url(): string }) => {
    if (request.url().includes('/text-to-audio')) streamEndedAt ||= Date.now()
  }
  page.on('requestfinished', transferEnded)
  page.on('requestfailed', transferEnded)
  // Note, in the page, the wall-clock time at which the player first reports audible audio.
  await page.evaluate(() => {
    const target = document.querySelector('[data-testid="first-audio"]')!
    new MutationObserver(() => {
      if (target.textContent !== '—') (window as unknown as { audibleAt?: number }).audibleAt ??= Date.now()
    }).observe(target, { childList: true, characterData: true, subtree: true })
  })
  const clickedAt = Date.now()
  await section.getByRole('button', { name: 'Read aloud' }).click()
  const progress = section.getByRole('progressbar')
  await expect
    .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 30_000 })
    .toBeGreaterThan(0)
  await expect.poll(() => streamEndedAt, { timeout: 30_000 }).toBeGreaterThan(0)
  const audibleAt = await page.evaluate(() => (window as unknown as { audibleAt?: number }).audibleAt)
  expect(audibleAt).toBeGreaterThan(0)
  console.info(
    `first audio ${audibleAt! - clickedAt} ms after the click, stream complete after ${streamEndedAt - clickedAt} ms`,
  )
  expect(audibleAt!).toBeLessThan(streamEndedAt)
  expect(await section.getByTestId('engine').textContent()).toBe('mse')
  // currentTime keeps advancing.
  const first = Number(await progress.getAttribute('aria-valuenow'))
  await expect
    .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeGreaterThan(first)
  await page.close()
})

test('both themes render, and the screenshots are kept as artifacts', async () => {
  mkdirSync(artifacts, { recursive: true })
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
  const blank = await page.screenshot()
  await page.goto(server.url)
  await page.getByRole('region', { name: 'What this browser can do' }).getByText('Web Audio').waitFor()
  const theme = page.getByRole('button', { name: 'Dark theme' })
  if ((await theme.getAttribute('aria-pressed')) === 'true') await theme.click()
  const light = await page.screenshot({ fullPage: true })
  await theme.click()
  await expect.poll(() => page.evaluate(() => document.documentElement.className)).toContain('vk-theme-dark')
  const dark = await page.screenshot({ fullPage: true })
  writeFileSync(`${artifacts}/demo-light.png`, light)
  writeFileSync(`${artifacts}/demo-dark.png`, dark)
  // A page of one colour compresses to almost nothing; a rendered page does not.
  expect(light.length).toBeGreaterThan(blank.length * 5)
  expect(dark.length).toBeGreaterThan(blank.length * 5)
  expect(Buffer.compare(light, dark)).not.toBe(0)
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  expect(background).not.toBe('rgb(255, 255, 255)')
  await page.close()
})

test('firefox: read aloud plays through the Web Audio engine while the speech streams in', async () => {
  const { default: puppeteer } = await import('puppeteer-core')
  const firefox = await puppeteer.launch(firefoxLaunchOptions())
  try {
    const page = await firefox.newPage()
    await page.goto(server.url)
    await page.waitForSelector('[data-testid="engine"]')
    const engineRow = await page.$$eval(
      '.vk-capabilities__row',
      (rows) =>
        rows.find((row) => row.textContent?.includes('Streaming playback engine'))?.querySelector('dd')?.textContent,
    )
    expect(engineRow).toBe('webaudio')
    const read = await page.waitForSelector('::-p-aria(Read aloud[role="button"])')
    await read!.click()
    await page.waitForFunction(
      () => Number(document.querySelector('.vk-player [role="progressbar"]')?.getAttribute('aria-valuenow')) > 0,
      { timeout: 30_000 },
    )
    expect(await page.$eval('[data-testid="engine"]', (node) => node.textContent)).toBe('webaudio')
    expect(await page.$eval('[data-testid="first-audio"]', (node) => node.textContent)).toMatch(/^\d+ ms$/)
    expect(await page.$('[role="alert"]')).toBeNull()
  } finally {
    await firefox.close()
  }
})

test('webkit: read aloud plays through MediaSource while the speech streams in', async () => {
  const { remote } = await import('webdriverio')
  const driver = await startWebKitDriver()
  const browser = await remote({
    hostname: '127.0.0.1',
    port: driver.port,
    path: '/',
    logLevel: 'silent',
    connectionRetryTimeout: 30_000,
    capabilities: webkitCapabilities(),
  })
  try {
    await browser.url(server.url)
    const engine = await browser.$('[data-testid="engine"]')
    await engine.waitForExist({ timeout: 20_000 })
    const read = await browser.$('button=Read aloud')
    await read.click()
    await browser.waitUntil(
      async () => Number(await (await browser.$('.vk-player [role="progressbar"]')).getAttribute('aria-valuenow')) > 0,
      { timeout: 30_000, timeoutMsg: 'playback did not advance' },
    )
    expect(await engine.getText()).toMatch(/^(mse|managed-mse)$/)
    expect(await (await browser.$('[data-testid="first-audio"]')).getText()).toMatch(/^\d+ ms$/)
    expect(await (await browser.$('[role="alert"]')).isExisting()).toBe(false)
  } finally {
    await browser.deleteSession().catch(() => {})
    driver.close()
  }
})
