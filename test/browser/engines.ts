// Where the three engines live on a Debian machine (override with env), and how to
// get them. scripts/ensure-system-deps.mjs installs them; the providers only look.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'

export const engines = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
  webkitDriver: process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver',
  miniBrowser: process.env.WEBKIT_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  xvfb: '/usr/bin/Xvfb',
}

export function requireExecutable(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `${what} not found at ${path}. On Debian run \`node scripts/ensure-system-deps.mjs\` as root ` +
        '(pnpm test does it for you), or set the path through the environment: see docs/testing.md.',
    )
  }
  return path
}

/** How Chromium is launched everywhere here: Vitest's browser projects and the e2e tests. */
export function chromiumLaunchOptions(fakeMicrophone: string) {
  return {
    executablePath: requireExecutable(engines.chromium, 'Chromium'),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${fakeMicrophone}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  }
}

/** How Firefox ESR is launched everywhere here (puppeteer-core over WebDriver BiDi). */
export function firefoxLaunchOptions() {
  return {
    browser: 'firefox' as const,
    executablePath: requireExecutable(engines.firefox, 'Firefox ESR'),
    headless: true,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
      'media.autoplay.block-webaudio': false,
      // No sound card here: without a mock audio backend AudioContext never runs.
      'media.cubeb.force_mock_context': true,
    },
  }
}

export function webkitCapabilities() {
  return {
    browserName: 'MiniBrowser',
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': {
      binary: requireExecutable(engines.miniBrowser, 'WebKitGTK MiniBrowser'),
      // Without --automation the session hangs (docs/browsers.md).
      args: [
        '--automation',
        '--autoplay-policy=allow',
        '--enable-media-stream=true',
        '--enable-mock-capture-devices=true',
      ],
    },
  }
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
    { stdio: ['ignore', 'pipe', 'ignore'] },
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

export interface WebKitDriver {
  port: number
  close(): void
}

/** WebKitWebDriver on a free port (and Xvfb when there is no display), time-boxed. */
export async function startWebKitDriver(): Promise<WebKitDriver> {
  const processes: ChildProcess[] = []
  const close = () => {
    for (const child of processes.reverse()) child.kill()
  }
  try {
    const { display, xvfb } = await ensureDisplay()
    if (xvfb) processes.push(xvfb)
    const port = await freePort()
    processes.push(
      spawn(requireExecutable(engines.webkitDriver, 'WebKitWebDriver'), [`--port=${port}`], {
        env: { ...process.env, DISPLAY: display },
        stdio: 'ignore',
      }),
    )
    await waitForDriver(port, Date.now() + 15_000)
    return { port, close }
  } catch (error) {
    close()
    throw error
  }
}
