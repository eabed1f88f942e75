// Screenshots of the demo, each section in both themes, in Chromium with a fake microphone:
//   pnpm --filter demo screenshots [url] [out-dir] [prefix]
// (default http://127.0.0.1:5173/, docs/screenshots, "demo"). Start `pnpm dev` first.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from '../../../test/browser/engines.ts'

const url = process.argv[2] ?? 'http://127.0.0.1:5173/'
const out = process.argv[3] ?? fileURLToPath(new URL('../../../docs/screenshots', import.meta.url))
const prefix = process.argv[4] ?? 'demo'
const microphone = fileURLToPath(new URL('../../../fixtures/speech/kitchen-lights.wav', import.meta.url))

mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ ...chromiumLaunchOptions(microphone), headless: true })
try {
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme: theme })
    await context.addInitScript((t) => localStorage.setItem('voicekit-demo-theme', t), theme)
    const page = await context.newPage()
    await page.goto(url)
    await page.locator('section').first().waitFor()
    await page.waitForTimeout(1500)
    await page.screenshot({ path: `${out}/${prefix}-${theme}-full.png`, fullPage: true })
    const sections = await page.locator('main section[aria-labelledby], main section[aria-label]').all()
    for (const [index, section] of sections.entries()) {
      const name =
        (await section.getAttribute('data-screenshot')) ??
        (await section.evaluate((node) => node.closest('[id]')?.id)) ??
        `section-${index + 1}`
      await section.screenshot({ path: `${out}/${prefix}-${theme}-${name}.png` })
    }
    await context.close()
  }
} finally {
  await browser.close()
}
console.log(`screenshots in ${out}`)
