// Browser providers for the chromium, firefox and webkit test projects, each
// launching the Debian build of its engine with a fake microphone and autoplay on.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { defineBrowserProvider } from '@vitest/browser'
import { playwright } from '@vitest/browser-playwright'
import { WebdriverBrowserProvider, type WebdriverProviderOptions } from '@vitest/browser-webdriverio'
import type { Browser, Page } from 'puppeteer-core'
import type { BrowserProvider, TestProject } from 'vitest/node'
import { chromiumLaunchOptions, engines, firefoxLaunchOptions, requireExecutable } from './engines.ts'

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts Xvfb on a free display when there is none; WebKitGTK hangs without one. */
async function ensureDisplay(): Promise<{ display: string; xvfb?: ChildProcess }> {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY }
  const xvfb = spawn(
    requireExecutable(engines.xvfb, 'Xvfb'),
    ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  )
  const [chunk] = (await Promise.race([
    once(xvfb.stdout!, 'data'),
    new Promise((_, reject) => setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000)),
  ])) as [Buffer]
  return { display: `:${chunk.toString().trim()}`, xvfb }
}

async function waitForDriver(port: number, deadline: number) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`)
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('WebKitWebDriver did not answer within 15 s')
}

function webkitCapabilities() {
  return {
    browserName: 'MiniBrowser',
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': {
      binary: requireExecutable(engines.miniBrowser, 'WebKitGTK MiniBrowser'),
      args: [
        '--automation',
        '--autoplay-policy=allow',
        '--enable-media-stream=true',
        '--enable-mock-capture-devices=true',
      ],
    },
  }
}

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver (WebDriver classic), driven by
 * Vitest's webdriverio provider with its capabilities replaced. The driver (and
 * Xvfb, when there is no display) is started on first use and stopped on close.
 */
class WebKitProvider extends WebdriverBrowserProvider {
  private processes: ChildProcess[] = []
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
    const { display, xvfb } = await ensureDisplay()
    if (xvfb) this.processes.push(xvfb)
    const port = await freePort()
    const driver = spawn(requireExecutable(engines.webkitDriver, 'WebKitWebDriver'), [`--port=${port}`], {
      env: { ...process.env, DISPLAY: display },
      stdio: 'ignore',
    })
    this.processes.push(driver)
    await waitForDriver(port, Date.now() + 15_000)
    Object.assign(this.connection, { hostname: '127.0.0.1', port, path: '/' })
  }

  override async close() {
    try {
      await super.close()
    } finally {
      for (const child of this.processes.reverse()) child.kill()
      this.processes = []
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
