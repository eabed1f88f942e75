#!/usr/bin/env node
// The Debian packages this repository needs, in two sets:
//
//   node scripts/ensure-system-deps.mjs          the tests: three browser engines, Xvfb for WebKitGTK,
//                                                GStreamer codecs for WebKit's media, and the speech engines.
//                                                Missing ones are installed as root on Debian; anywhere
//                                                else this says what to install and fails.
//   node scripts/ensure-system-deps.mjs --demo   the demo (`pnpm dev` runs it first): only the speech
//                                                engines the local speech server runs. Installed as root on
//                                                Debian; anywhere else it prints the one-line install command
//                                                and lets the demo start anyway (it never fails).
import { execFileSync, spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const DPKG_QUERY = '/usr/bin/dpkg-query'
const APT_GET = '/usr/bin/apt-get'

/**
 * The speech engines of the local speech server: what each is for, its Debian packages, and what
 * must be there afterwards (a program on PATH, the speech server's env override honoured, or a file).
 */
export const SPEECH_ENGINES = [
  { use: 'reading aloud', packages: ['flite'], program: process.env.SPEECH_SERVER_FLITE ?? 'flite' },
  {
    use: 'dictation',
    packages: ['pocketsphinx', 'pocketsphinx-en-us'],
    program: process.env.SPEECH_SERVER_POCKETSPHINX ?? 'pocketsphinx_continuous',
    file: join(process.env.SPEECH_SERVER_SPHINX_MODEL ?? '/usr/share/pocketsphinx/model/en-us', 'en-us.lm.bin'),
  },
  {
    use: 'transcripts of WebM and Ogg recordings',
    packages: ['ffmpeg'],
    program: process.env.SPEECH_SERVER_FFMPEG ?? 'ffmpeg',
  },
]

export const DEMO_PACKAGES = SPEECH_ENGINES.flatMap((engine) => engine.packages)

export const DEBIAN_PACKAGES = [
  'chromium',
  'firefox-esr',
  'webkit2gtk-driver',
  'xvfb',
  'gstreamer1.0-plugins-good',
  'gstreamer1.0-plugins-bad',
  'gstreamer1.0-libav',
  ...DEMO_PACKAGES,
]

/** `apt-get install -y …`, with sudo when not root. */
export const installCommand = (packages, root) => `${root ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`

export function findProgram(nameOrPath, path = process.env.PATH ?? '') {
  const candidates = nameOrPath.includes('/') ? [nameOrPath] : path.split(delimiter).map((dir) => join(dir, nameOrPath))
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK)
      return statSync(candidate).isFile()
    } catch {
      return false
    }
  })
}

/** The engines whose program or file is not there. */
export const missingEngines = (path = process.env.PATH ?? '') =>
  SPEECH_ENGINES.filter((engine) => !findProgram(engine.program, path) || (engine.file && !existsSync(engine.file)))

/** What the demo prints when engines are missing: what each is for, and one line that installs them. */
export function demoAdvice(missing, { root, debian = true, path = process.env.PATH ?? '' }) {
  const what = missing.map((engine) => `${engine.program} (${engine.use})`).join(', ')
  const lines = [`voicekit demo: the local speech server is missing ${what}.`]
  // pocketsphinx 5 has a `pocketsphinx` program and no pocketsphinx_continuous: reinstalling does not help.
  const sphinx5 = missing.some((e) => e.program === 'pocketsphinx_continuous') && findProgram('pocketsphinx', path)
  if (sphinx5)
    lines.push(
      `  ${sphinx5} is pocketsphinx 5 or later, which has no pocketsphinx_continuous: install pocketsphinx 0.8`,
      '  (Debian 12 packages it), or set SPEECH_SERVER_POCKETSPHINX to a pocketsphinx_continuous program.',
    )
  const packages = missing.flatMap((engine) => engine.packages)
  if (debian) lines.push('  Install them with:', `    ${installCommand(packages, root)}`)
  else
    lines.push(
      `  Install ${packages.join(', ')} (pocketsphinx 0.8, with its US English model) with your package manager.`,
    )
  lines.push(
    '  and run pnpm dev again. The demo starts without them, and its page says what is missing where it matters.',
  )
  return lines.join('\n')
}

function installed(pkg) {
  const result = spawnSync(DPKG_QUERY, ['--status', pkg], { encoding: 'utf8' })
  return result.status === 0 && result.stdout.includes('Status: install ok installed')
}

function aptInstall(packages, quiet) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync(APT_GET, ['update', '-qq'], { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env })
  execFileSync(APT_GET, ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env })
}

function ensureDemo() {
  const root = process.getuid?.() === 0
  const debian = existsSync(DPKG_QUERY)
  if (debian && root) {
    const absent = DEMO_PACKAGES.filter((pkg) => !installed(pkg))
    if (absent.length > 0) {
      console.log(`Installing the speech engines the demo needs: ${absent.join(' ')}`)
      try {
        aptInstall(absent, true)
      } catch (error) {
        console.error(
          `apt-get failed (${error instanceof Error ? error.message : error}); the demo starts without them.`,
        )
      }
    }
  }
  const missing = missingEngines()
  if (missing.length > 0) console.warn(`\n${demoAdvice(missing, { root, debian })}\n`)
}

function ensureTests() {
  if (!existsSync(DPKG_QUERY)) {
    console.error(
      'Not a Debian-like system: install Chromium, Firefox ESR, WebKitGTK with WebKitWebDriver, Xvfb, ' +
        'GStreamer codecs, flite, pocketsphinx with its US English model and ffmpeg, then point the tests at them ' +
        'with CHROMIUM_PATH, FIREFOX_PATH, WEBKIT_DRIVER_PATH, WEBKIT_MINIBROWSER_PATH (see docs/testing.md).',
    )
    process.exit(1)
  }
  const missing = DEBIAN_PACKAGES.filter((pkg) => !installed(pkg))
  if (missing.length === 0) return
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing Debian packages: ${missing.join(' ')}\nInstall them with:\n  ${installCommand(missing, false)}`,
    )
    process.exit(1)
  }
  console.log(`Installing Debian packages the tests need: ${missing.join(' ')}`)
  aptInstall(missing, false)
  const stillMissing = missing.filter((pkg) => !installed(pkg))
  if (stillMissing.length) {
    console.error(`apt-get did not install: ${stillMissing.join(' ')}`)
    process.exit(1)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--demo')) ensureDemo()
  else ensureTests()
}
