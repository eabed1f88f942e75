// Browser providers for the chromium, firefox and webkit test projects, each
// launching the Debian build of its engine with a fake microphone and autoplay on.
import { defineBrowserProvider } from '@vitest/browser'
import { playwright } from '@vitest/browser-playwright'
import { WebdriverBrowserProvider, type WebdriverProviderOptions } from '@vitest/browser-webdriverio'
import type { Browser, Page } from 'puppeteer-core'
import type { BrowserProvider, TestProject } from 'vitest/node'
import {
  chromiumLaunchOptions,
  firefoxLaunchOptions,
  startWebKitDriver,
  type WebKitDriver,
  webkitCapabilities,
} from './engines.ts'

export function chromiumProvider({ fakeMicrophone }: { fakeMicrophone: string }) {
  return playwright({
    launchOptions: chromiumLaunchOptions(fakeMicrophone),
    contextOptions: { permissions: ['microphone'] },
  })
}

/** Firefox ESR over WebDriver BiDi through puppeteer-core: no geckodriver needed. */
class FirefoxBidiProvider implements BrowserProvider {
  name = 'firefox-bidi'
  supportsParallelism = false
  private browser: Browser | undefined
  private pages = new Map<string, Page>()

  getCommandsContext(sessionId: string) {
    return { page: this.pages.get(sessionId) }
  }

  async openPage(sessionId: string, url: string) {
    this.browser ??= await this.launch()
    const page = this.pages.get(sessionId) ?? (await this.browser.newPage())
    this.pages.set(sessionId, page)
    await page.goto(url)
  }

  private async launch() {
    const { default: puppeteer } = await import('puppeteer-core')
    return puppeteer.launch(firefoxLaunchOptions())
  }

  async close() {
    const browser = this.browser
    this.browser = undefined
    this.pages.clear()
    await browser?.close()
  }
}

export function firefoxProvider() {
  return defineBrowserProvider({
    name: 'firefox-bidi',
    supportedBrowser: ['firefox'],
    providerFactory: () => new FirefoxBidiProvider(),
  })
}

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver (WebDriver classic), driven by
 * Vitest's webdriverio provider with its capabilities replaced. The driver (and
 * Xvfb, when there is no display) is started on first use and stopped on close.
 */
class WebKitProvider extends WebdriverBrowserProvider {
  private driver: WebKitDriver | undefined
  private readonly connection: WebdriverProviderOptions

  constructor(project: TestProject) {
    const connection: WebdriverProviderOptions = { connectionRetryTimeout: 30_000 }
    super(project, connection)
    this.connection = connection
    // The base class would ask for browserName 'webkit' with headless flags; the
    // driver only knows MiniBrowser. Its builder is private, so it is replaced here.
    Object.assign(this, { buildCapabilities: webkitCapabilities })
  }

  override async openBrowser() {
    if (!this.browser) await this.startDriver()
    return super.openBrowser()
  }

  private async startDriver() {
    this.driver = await startWebKitDriver()
    Object.assign(this.connection, { hostname: '127.0.0.1', port: this.driver.port, path: '/' })
  }

  override async close() {
    try {
      await super.close()
    } finally {
      this.driver?.close()
      this.driver = undefined
    }
  }
}

export function webkitProvider() {
  return defineBrowserProvider({
    name: 'webdriverio',
    supportedBrowser: ['webkit'],
    providerFactory: (project: TestProject) => new WebKitProvider(project),
  })
}
