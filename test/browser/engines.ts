// Where the three engines live on a Debian machine (override with env), and how to
// get them. scripts/ensure-browsers.mjs installs them; the providers only look.
import { existsSync } from 'node:fs'

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
      `${what} not found at ${path}. On Debian run \`node scripts/ensure-browsers.mjs\` as root ` +
        '(pnpm test does it for you), or set the path through the environment: see README "Tests".',
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
