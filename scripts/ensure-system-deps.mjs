#!/usr/bin/env node
// The Debian packages the tests need: the three browser engines, Xvfb for WebKitGTK,
// GStreamer codecs for WebKit's media, and the speech engines the local speech server
// runs. As root on Debian, missing ones are installed; anywhere else, this says what
// to install and fails.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const DEBIAN_PACKAGES = [
  'chromium',
  'firefox-esr',
  'webkit2gtk-driver',
  'xvfb',
  'gstreamer1.0-plugins-good',
  'gstreamer1.0-plugins-bad',
  'gstreamer1.0-libav',
  'flite',
  'pocketsphinx',
  'pocketsphinx-en-us',
  'ffmpeg',
]

function installed(pkg) {
  const result = spawnSync('dpkg-query', ['--status', pkg], { encoding: 'utf8' })
  return result.status === 0 && result.stdout.includes('Status: install ok installed')
}

function main() {
  if (!existsSync('/usr/bin/dpkg-query')) {
    console.error(
      'Not a Debian-like system: install Chromium, Firefox ESR, WebKitGTK with WebKitWebDriver, Xvfb, ' +
        'GStreamer codecs, flite, pocketsphinx with its US English model and ffmpeg, then point the tests at them ' +
        'with CHROMIUM_PATH, FIREFOX_PATH, WEBKIT_DRIVER_PATH, WEBKIT_MINIBROWSER_PATH (see docs/testing.md).',
    )
    process.exit(1)
  }
  const missing = DEBIAN_PACKAGES.filter((pkg) => !installed(pkg))
  if (missing.length === 0) return
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`
  if (process.getuid?.() !== 0) {
    console.error(`Missing Debian packages: ${missing.join(' ')}\nInstall them with:\n  sudo ${command}`)
    process.exit(1)
  }
  console.log(`Installing Debian packages the tests need: ${missing.join(' ')}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env })
  const stillMissing = missing.filter((pkg) => !installed(pkg))
  if (stillMissing.length) {
    console.error(`apt-get did not install: ${stillMissing.join(' ')}`)
    process.exit(1)
  }
}

main()
