// A bench page open in one of the three engines, launched as the tests launch them: Chromium through
// Playwright, Firefox ESR through Puppeteer (WebDriver BiDi), WebKitGTK's MiniBrowser through
// WebKitWebDriver and webdriverio. `call(name, ...args)` runs `window.bench[name](...args)` in the page
// and answers what its promise resolves to.
import { chromium } from 'playwright-core'
import puppeteer from 'puppeteer-core'
import { remote } from 'webdriverio'
import {
  chromiumLaunchOptions,
  firefoxLaunchOptions,
  startWebKitDriver,
  webkitCapabilities,
} from '../test/browser/engines.ts'
import { FIXTURE_WAV } from './media.ts'

export type BrowserEngine = 'chromium' | 'firefox' | 'webkit'
export const BROWSER_ENGINES: BrowserEngine[] = ['chromium', 'firefox', 'webkit']
export const engineName: Record<BrowserEngine, string> = {
  chromium: 'Chromium',
  firefox: 'Firefox',
  webkit: 'WebKit',
}

export interface EnginePage {
  call<T>(name: string, ...args: unknown[]): Promise<T>
  close(): Promise<void>
}

// biome-ignore lint/suspicious/noExplicitAny: the page's own bench API
const callInPage = ([name, args]: [string, unknown[]]) => (window as any).bench[name](...args)
const ready = () => document.title === 'ready'

/** Opens `url` in `engine` and waits for the page to set its title to 'ready'. */
export async function openEnginePage(engine: BrowserEngine, url: string): Promise<EnginePage> {
  if (engine === 'chromium') {
    const browser = await chromium.launch({ ...chromiumLaunchOptions(FIXTURE_WAV), headless: true })
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForFunction(ready)
    return {
      call: (name, ...args) => page.evaluate(callInPage, [name, args] as [string, unknown[]]),
      close: () => browser.close(),
    }
  }
  if (engine === 'firefox') {
    const browser = await puppeteer.launch(firefoxLaunchOptions())
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForFunction(ready)
    return {
      call: (name, ...args) => page.evaluate(callInPage, [name, args] as [string, unknown[]]),
      close: () => browser.close(),
    }
  }
  const driver = await startWebKitDriver()
  try {
    const browser = await remote({
      hostname: '127.0.0.1',
      port: driver.port,
      path: '/',
      logLevel: 'error',
      // Also the longest a page call may take (a 40 s reply is played to its end).
      connectionRetryTimeout: 300_000,
      connectionRetryCount: 0,
      capabilities: webkitCapabilities() as WebdriverIO.Capabilities,
    })
    await browser.setTimeout({ script: 600_000 })
    await browser.url(url)
    await browser.waitUntil(() => browser.execute(ready), { timeout: 30_000 })
    return {
      // WebDriver classic's execute awaits the promise the script returns.
      call: (name, ...args) => browser.execute(callInPage as never, [name, args] as never) as never,
      close: async () => {
        try {
          await browser.deleteSession()
        } finally {
          driver.close()
        }
      },
    }
  } catch (error) {
    driver.close()
    throw error
  }
}
