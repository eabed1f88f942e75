// `pnpm dev` serves the demo, and its capability page renders in a real browser.
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { chromiumLaunchOptions } from '../../../test/browser/engines'

const demoRoot = fileURLToPath(new URL('..', import.meta.url))
const fakeMicrophone = fileURLToPath(new URL('../../../fixtures/speech/kitchen-lights.wav', import.meta.url))

let server: ViteDevServer
let browser: Browser

beforeAll(async () => {
  // The same config `pnpm dev` uses, on a free port.
  server = await createServer({ root: demoRoot, configFile: `${demoRoot}/vite.config.ts`, server: { port: 0 } })
  await server.listen()
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
  const url = server.resolvedUrls?.local[0]
  expect(url).toBeTruthy()
  await page.goto(url!)
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
  await page.goto(server.resolvedUrls!.local[0]!)
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
