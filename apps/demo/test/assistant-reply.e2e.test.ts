// The demo's assistant-reply section in Chromium: a reply streamed at about 30 tokens a second is heard
// before it is fully written, and a Dify chat app's own speech (tts_message events) plays with its words.
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { chromiumLaunchOptions } from '../../../test/browser/engines'
import { ASSISTANT_REPLY } from '../dev/assistant-reply'
import { type DevServer, startDevServer } from './dev-server'

const fakeMicrophone = fileURLToPath(new URL('../../../fixtures/speech/kitchen-lights.wav', import.meta.url))
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 })

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

/** The reply's text and the first-audio figure, read together in the page. */
const readSection = () => {
  const section = document.getElementById('assistant-reply')!
  return {
    reply: section.querySelector('textarea')!.value,
    firstAudio: section.querySelector('[data-testid="token-to-audio"]')!.textContent!,
  }
}

/** Notes, in the page, how much of the reply was written when the first-audio figure appeared. */
const noteReplyAtFirstAudio = () => {
  const section = document.getElementById('assistant-reply')!
  const figure = section.querySelector('[data-testid="token-to-audio"]')!
  new MutationObserver(() => {
    if (figure.textContent === '—') return
    const w = window as unknown as { writtenAtFirstAudio?: number }
    w.writtenAtFirstAudio ??= section.querySelector('textarea')!.value.length
  }).observe(figure, { childList: true, characterData: true, subtree: true })
}

test('a streamed reply is heard while it is still being written; Stop ends it without an error', async () => {
  const page = await browser.newPage()
  await page.goto(server.url)
  const section = page.getByRole('region', { name: 'Assistant reply' })
  const ask = section.getByRole('button', { name: 'Ask the assistant' })
  await ask.waitFor()
  await page.evaluate(noteReplyAtFirstAudio)
  await ask.click()
  await expect
    .poll(() => page.evaluate(readSection).then((s) => s.firstAudio), { timeout: 120_000 })
    .toMatch(/^\d+ ms$/)
  // The first audio came while the text area still held only the start of the reply.
  const written = await page.evaluate(() => (window as unknown as { writtenAtFirstAudio?: number }).writtenAtFirstAudio)
  expect(written).toBeGreaterThan(0)
  expect(written).toBeLessThan(ASSISTANT_REPLY.length)
  await expect.poll(() => page.evaluate(readSection).then((s) => s.reply), { timeout: 120_000 }).toBe(ASSISTANT_REPLY)
  // The whole reply's speech lasts about 40 s: stopped here (the Dify case below plays to its end).
  const stop = section.getByRole('button', { name: 'Stop' })
  expect(await stop.isDisabled()).toBe(false)
  await stop.click()
  await expect.poll(() => stop.isDisabled(), { timeout: 30_000 }).toBe(true)
  expect(await section.getByRole('alert').count()).toBe(0)
  await page.close()
})

test("a Dify chat app's reply: its words appear and its own speech plays, then the section is idle", async () => {
  const page = await browser.newPage()
  await page.goto(server.url)
  const section = page.getByRole('region', { name: 'Assistant reply' })
  const events: string[] = []
  page.on('response', (response) => {
    if (response.url().endsWith('/api/dify-chat')) events.push(response.headers()['content-type'] ?? '')
  })
  await section.getByRole('button', { name: 'Ask a Dify chat app' }).click()
  await expect.poll(() => page.evaluate(readSection).then((s) => s.firstAudio), { timeout: 120_000 }).toMatch(/ ms$/)
  expect(events).toEqual(['text/event-stream'])
  await expect
    .poll(() => page.evaluate(readSection).then((s) => s.reply), { timeout: 120_000 })
    .toMatch(/^Hello! This is the local speech server answering as a Dify chat app\..*streams its replies\.$/)
  await expect.poll(() => section.getByRole('button', { name: 'Stop' }).isDisabled(), { timeout: 120_000 }).toBe(true)
  expect(await section.getByRole('alert').count()).toBe(0)
  await page.close()
})
