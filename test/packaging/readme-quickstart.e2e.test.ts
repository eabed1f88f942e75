// The README's quick start, followed as a user would: a new Next.js app (the package.json and
// app/layout.tsx that create-next-app writes), the packages of the README's `npm install` line (the
// @voicekit ones from their packed tarballs), each code block written to the path named above it,
// then `next build` and `next start` at 127.0.0.1. Chromium with a fake microphone dictates into the
// page's VoiceInput and presses its Listen button, through the quick start's proxy route to the local
// speech server. The test runner builds the packages first (`pnpm -r --filter './packages/*' build`).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type SpeechServer, startSpeechServer } from '../../apps/speech-server/src/server.ts'
import type { SpeechServerEvent } from '../../apps/speech-server/src/types.ts'
import { chromiumLaunchOptions } from '../browser/engines.ts'
import { type App, dictate, freePort, installApp, packAll, readTail, root, scratch, sh, startApp } from './apps.ts'

const fakeMicrophone = fileURLToPath(new URL('../../fixtures/speech/kitchen-lights.wav', import.meta.url))
const apiKey = `vk-quickstart-${Math.random().toString(36).slice(2)}-key`

/** The quick start's files: each code block whose paragraph above starts with its path in backticks. */
function quickStartFiles(readme: string): { path: string; code: string }[] {
  const start = readme.indexOf('## Quick start')
  const end = readme.indexOf('\n## ', start + 1)
  const section = readme.slice(start, end < 0 ? undefined : end)
  return [...section.matchAll(/^`([\w.[\]/-]+\.(?:tsx?|css))`[\s\S]*?\n```\w*\n([\s\S]*?)```/gm)].map((match) => ({
    path: match[1]!,
    code: match[2]!,
  }))
}

const readme = readFileSync(join(root, 'README.md'), 'utf8')
const files = quickStartFiles(readme)
const example = JSON.parse(readFileSync(join(root, 'examples', 'nextjs', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

let work: string
let speech: SpeechServer
let browser: Browser
let app: App
const events: SpeechServerEvent[] = []

describe("the README's quick start", () => {
  test('names each file by its path: the proxy route, and the page as a Server Component', () => {
    const paths = files.map((file) => file.path)
    expect(paths).toContain('app/api/voice/[...path]/route.ts')
    expect(paths).toContain('app/page.tsx')
    const page = files.find((file) => file.path === 'app/page.tsx')!.code
    expect(page).toMatch(/<VoiceProvider provider="dify" baseUrl="\/api\/voice\/dify">/)
    expect(page).toMatch(/<VoiceInput\b/)
    expect(page).not.toMatch(/^(['"])use client\1/m)
    // A directive is a file's first statement, or it is an expression that does nothing.
    for (const { path, code } of files) {
      if (code.includes('use client')) expect(code, path).toMatch(/^'use client'\n/)
    }
  })

  describe('copied into a new Next.js app, built and started', () => {
    beforeAll(async () => {
      work = scratch()
      const [tarballs, server] = await Promise.all([
        packAll(join(work, 'packs')),
        startSpeechServer({ port: 0, apiKey, onEvent: (event) => void events.push(event) }),
      ])
      speech = server
      const dir = join(work, 'app')
      newNextApp(dir)
      for (const { path, code } of files) {
        mkdirSync(dirname(join(dir, path)), { recursive: true })
        writeFileSync(join(dir, path), code)
      }
      await installApp(dir, tarballs)
      const env = { DIFY_API_KEY: apiKey, DIFY_BASE_URL: `${speech.url}/dify/v1`, NEXT_TELEMETRY_DISABLED: '1' }
      await sh('pnpm', ['exec', 'next', 'build'], dir, env)
      const port = await freePort()
      const next = join(dir, 'node_modules', '.bin', 'next')
      app = await startApp(dir, next, ['start', '-H', '127.0.0.1', '-p', String(port)], env, port)
      browser = await chromium.launch({ ...chromiumLaunchOptions(fakeMicrophone), headless: true })
    }, 8 * 60_000)

    afterAll(async () => {
      await browser?.close()
      app?.stop()
      await speech?.close()
      if (work) rmSync(work, { recursive: true, force: true })
    })

    test('the server renders the page through VoiceProvider: its HTML holds the field', async () => {
      const html = await (await fetch(app.url)).text()
      expect(html, readTail(app.log)).toMatch(/<(textarea|input)[^>]*aria-label="Message"/)
    })

    test('Chromium at 127.0.0.1: dictation fills the field, Listen gets speech through the proxy route', async () => {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      try {
        await page.goto(app.url)
        await dictate(page)
        const answer = page.waitForResponse((response) => response.url().endsWith('/api/voice/dify/text-to-audio'))
        await page.getByRole('button', { name: 'Listen' }).click()
        const response = await answer
        expect(response.status(), readTail(app.log)).toBe(200)
        expect(response.headers()['content-type']).toBe('audio/mpeg')
        // The player reads the body itself, so the browser side cannot count it: the speech server says
        // that the whole answer went out and its connection closed as finished (a reader that gave up
        // would have aborted it through the proxy).
        const request = events.find((event) => event.type === 'request' && event.path.endsWith('/text-to-audio'))
        expect(request).toBeDefined()
        const id = request!.id
        await expect
          .poll(() => events.find((event) => event.type === 'closed' && event.id === id), { timeout: 60_000 })
          .toMatchObject({ finished: true })
        const sent = events.reduce((bytes, e) => bytes + (e.type === 'tts-chunk-sent' && e.id === id ? e.bytes : 0), 0)
        expect(sent).toBeGreaterThan(1000)
        expect(errors, readTail(app.log)).toEqual([])
      } finally {
        await page.close()
      }
    }, 180_000)
  })
})

/**
 * What `create-next-app` (TypeScript, App Router, nothing else) leaves before the quick start: a
 * package.json with next, react and react-dom and the README's packages, and a root layout. Versions
 * as in examples/nextjs, so that every install shares one store.
 */
function newNextApp(dir: string) {
  const install = readme.match(/^npm install (.+)$/m)
  if (!install) throw new Error("the README's quick start has no `npm install` line")
  const dependencies: Record<string, string> = {}
  for (const name of ['next', 'react', 'react-dom', ...install[1]!.trim().split(/\s+/)])
    dependencies[name] = example.dependencies[name] ?? 'latest'
  const { typescript, '@types/node': node, '@types/react': react } = example.devDependencies
  mkdirSync(join(dir, 'app'), { recursive: true })
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'my-app',
        private: true,
        scripts: { dev: 'next dev', build: 'next build', start: 'next start' },
        dependencies,
        devDependencies: { typescript, '@types/node': node, '@types/react': react },
      },
      null,
      2,
    ),
  )
  writeFileSync(
    join(dir, 'app', 'layout.tsx'),
    [
      "import type { ReactNode } from 'react'",
      '',
      "export const metadata = { title: 'Create Next App' }",
      '',
      'export default function RootLayout({ children }: { children: ReactNode }) {',
      '  return (',
      '    <html lang="en">',
      '      <body>{children}</body>',
      '    </html>',
      '  )',
      '}',
      '',
    ].join('\n'),
  )
}
