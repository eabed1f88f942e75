// The packages in users' apps, from packed tarballs, outside the workspace: examples/nextjs
// (Node and edge runtimes), examples/vite with React 19 and 18.3, examples/express (tsc with
// nodenext, skipLibCheck off). Each is built and started as its README says, and Chromium with a
// fake microphone dictates and speaks through it to the local speech server at 127.0.0.1.
// The test runner builds the packages first (`pnpm -r --filter './packages/*' build`).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type SpeechServer, startSpeechServer } from '../../apps/speech-server/src/server.ts'
import { chromiumLaunchOptions } from '../browser/engines.ts'
import { type App, dictate, freePort, installExample, packAll, readTail, scratch, sh, startApp, timed } from './apps.ts'

const fakeMicrophone = fileURLToPath(new URL('../../fixtures/speech/kitchen-lights.wav', import.meta.url))
// A key that appears nowhere else, so that finding it in a build means the build leaked it.
const apiKey = `vk-packaging-${Math.random().toString(36).slice(2)}-key`
const SETUP_MS = 8 * 60_000

let work: string
let speech: SpeechServer
let browser: Browser
const dirs: Record<string, string> = {}
const apps: Record<string, App> = {}
const timings: Record<string, number> = {}
let typecheck: Promise<string>

beforeAll(async () => {
  const started = performance.now()
  work = scratch()
  const packs = join(work, 'packs')
  const [tarballs, server] = await Promise.all([packAll(packs), startSpeechServer({ port: 0, apiKey })])
  speech = server
  const env = { DIFY_API_KEY: apiKey, DIFY_BASE_URL: `${speech.url}/dify/v1`, NEXT_TELEMETRY_DISABLED: '1' }

  // One pnpm store for all four installs.
  const installs = await timed(() =>
    Promise.all([
      installExample('nextjs', work, tarballs),
      installExample('vite', work, tarballs),
      installExample('vite-react18', work, tarballs, { react: '18.3.1', 'react-dom': '18.3.1' }),
      installExample('express', work, tarballs),
    ]),
  )
  timings.install = installs.ms
  ;[dirs.nextjs, dirs.vite, dirs['vite-react18'], dirs.express] = installs.value as [string, string, string, string]

  // Beside the builds: tsc (nodenext, skipLibCheck false) on correct use of every entry a Node
  // server would import, and on one wrong call, with neither Vite nor React installed.
  typecheck = typecheckExpress(dirs.express!)

  // next build is the long one; the others build beside it.
  const builds = await timed(() =>
    Promise.all([
      sh('pnpm', ['exec', 'next', 'build'], dirs.nextjs!, env),
      sh('pnpm', ['exec', 'vite', 'build'], dirs.vite!, env),
      sh('pnpm', ['exec', 'vite', 'build'], dirs['vite-react18']!, env),
      sh('pnpm', ['exec', 'tsc'], dirs.express!, env),
    ]),
  )
  timings.build = builds.ms

  const [nextPort, vitePort, vite18Port, expressPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ])
  const bin = (dir: string, name: string) => join(dir, 'node_modules', '.bin', name)
  const starts = await timed(() =>
    Promise.all([
      startApp(
        dirs.nextjs!,
        bin(dirs.nextjs!, 'next'),
        ['start', '-H', '127.0.0.1', '-p', String(nextPort)],
        env,
        nextPort,
      ),
      startApp(dirs.vite!, bin(dirs.vite!, 'vite'), viteArgs(vitePort), env, vitePort),
      startApp(dirs['vite-react18']!, bin(dirs['vite-react18']!, 'vite'), viteArgs(vite18Port), env, vite18Port),
      startApp(dirs.express!, process.execPath, ['dist/server.js'], env, expressPort),
    ]),
  )
  timings.start = starts.ms
  ;[apps.nextjs, apps.vite, apps['vite-react18'], apps.express] = starts.value
  browser = await chromium.launch({ ...chromiumLaunchOptions(fakeMicrophone), headless: true })
  timings.setup = Math.round(performance.now() - started)
}, SETUP_MS)

afterAll(async () => {
  const total = Object.entries(timings)
    .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`)
    .join(', ')
  console.info(`packaging e2e: ${total}`)
  await browser?.close()
  for (const app of Object.values(apps)) app.stop()
  await speech?.close()
  if (work) rmSync(work, { recursive: true, force: true })
})

function typecheckExpress(dir: string): Promise<string> {
  const check = join(dir, 'typecheck')
  mkdirSync(check)
  writeFileSync(
    join(check, 'tsconfig.json'),
    JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '.' }, include: ['.'] }),
  )
  writeFileSync(
    join(check, 'right.ts'),
    [
      "import { createDifyTranscriber, isVoiceError, type VoiceErrorCode } from '@voicekit/core'",
      "import { createFishSpeaker } from '@voicekit/core/fish'",
      "import { createVoiceProxy, type VoiceProxyOptions } from '@voicekit/proxy'",
      "const options: VoiceProxyOptions = { providers: { dify: { apiKey: 'k' } }, trustForwardedHeaders: true }",
      'export const handler: (request: Request) => Promise<Response> = createVoiceProxy(options)',
      "export const transcriber = createDifyTranscriber({ baseUrl: '/api/voice/dify' })",
      "export const speaker = createFishSpeaker({ baseUrl: '/api/voice/fish' })",
      "export const code: VoiceErrorCode | undefined = isVoiceError(null) ? 'network' : undefined",
      '',
    ].join('\n'),
  )
  writeFileSync(
    join(check, 'wrong.ts'),
    "import { createVoiceProxy } from '@voicekit/proxy'\nexport const voice = createVoiceProxy({ providers: 42 })\n",
  )
  return sh('pnpm', ['exec', 'tsc', '-p', 'typecheck'], dir).then(
    () => '',
    (error: Error) => error.message,
  )
}

function viteArgs(port: number) {
  return ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort']
}

/** Dictation puts the fake microphone's words in the field; speech plays to its end. */
async function dictateAndSpeak(page: Page, app: App) {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await dictate(page)

  await page.getByRole('button', { name: 'Speak' }).click()
  // The page writes `played` when speak() resolved after playing to the end, or the VoiceError's code.
  const output = page.getByRole('status', { name: 'Speech' })
  await expect.poll(() => output.textContent(), { timeout: 60_000 }).not.toBe('')
  expect(await output.textContent(), readTail(app.log)).toBe('played')
  expect(errors, readTail(app.log)).toEqual([])
}

/** A POST to the proxy with chosen Host and Origin headers (fetch cannot set Host). */
function post(url: string, headers: Record<string, string>): Promise<{ status: number; type: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ text: 'Hello.', user: 'packaging-test', streaming: true })
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), bytes }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

const browserCases = [
  { app: 'nextjs', path: '/', route: '/api/voice/dify/text-to-audio' },
  { app: 'nextjs', path: '/edge', route: '/edge/api/voice/dify/text-to-audio' },
  { app: 'vite', path: '/', route: '/api/voice/dify/text-to-audio' },
  { app: 'vite-react18', path: '/', route: '/api/voice/dify/text-to-audio' },
  { app: 'express', path: '/', route: '/api/voice/dify/text-to-audio' },
] as const

describe.each(browserCases)('$app at $path', ({ app, path, route }) => {
  test('Chromium at 127.0.0.1: dictation fills the field and speech plays', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`${apps[app]!.url}${path}`)
      await dictateAndSpeak(page, apps[app]!)
    } finally {
      await page.close()
    }
  }, 180_000)

  test('a foreign Origin gets 403', async () => {
    const { port } = new URL(apps[app]!.url)
    const answer = await post(`${apps[app]!.url}${route}`, {
      host: `127.0.0.1:${port}`,
      origin: 'https://evil.example',
    })
    expect(answer.status).toBe(403)
  })
})

describe('Next.js: Server Components render voicekit from the packed packages', () => {
  const entries = (name: string) => {
    const dir = join(dirs.nextjs!, 'node_modules', '@voicekit', name)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>
    }
    return Object.values(pkg.exports)
      .map((target) => (typeof target === 'string' ? target : target.default!))
      .filter((file) => file.endsWith('.js'))
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')] as const)
  }
  const directive = /^(['"])use client\1;?\n/

  test("@voicekit/react's and @voicekit/ui's entries begin with 'use client'; core's and proxy's do not", () => {
    for (const name of ['react', 'ui']) {
      const files = entries(name)
      expect(files.length).toBeGreaterThan(0)
      for (const [file, code] of files) expect(code.slice(0, 40), `@voicekit/${name} ${file}`).toMatch(directive)
    }
    for (const name of ['core', 'proxy']) {
      for (const [file, code] of entries(name)) expect(code, `@voicekit/${name} ${file}`).not.toMatch(/use client/)
    }
  })

  test("the example's files that render VoiceProvider or VoiceInput are Server Components (no 'use client')", () => {
    const rendering: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = join(dir, name)
        if (statSync(file).isDirectory()) walk(file)
        else if (/\.tsx$/.test(name)) {
          const code = readFileSync(file, 'utf8')
          if (!/<(VoiceProvider|VoiceInput)\b/.test(code)) continue
          rendering.push(name)
          expect(code, file).not.toMatch(/^(['"])use client\1/m)
        }
      }
    }
    walk(join(dirs.nextjs!, 'app'))
    expect(rendering).toEqual(['voice-page.tsx'])
  })

  test.each(['/', '/edge'])(
    '%s is rendered on the server through VoiceProvider: its HTML holds the field',
    async (path) => {
      const html = await (await fetch(`${apps.nextjs!.url}${path}`)).text()
      expect(html, readTail(apps.nextjs!.log)).toMatch(
        /<textarea[^>]*aria-label="Message"|<input[^>]*aria-label="Message"/,
      )
      expect(html).toContain('Dictate')
    },
  )
})

describe('Next.js behind a reverse proxy', () => {
  test.each(['/api/voice/dify/text-to-audio', '/edge/api/voice/dify/text-to-audio'])(
    'Host: app.example.com with Origin: https://app.example.com is served (%s)',
    async (route) => {
      const answer = await post(`${apps.nextjs!.url}${route}`, {
        host: 'app.example.com',
        origin: 'https://app.example.com',
      })
      expect(answer, readTail(apps.nextjs!.log)).toMatchObject({ status: 200, type: 'audio/mpeg' })
      expect(answer.bytes).toBeGreaterThan(1000)
    },
  )
})

describe('what the builds contain', () => {
  const outputs = () => [
    join(dirs.nextjs!, '.next'),
    join(dirs.vite!, 'dist'),
    join(dirs['vite-react18']!, 'dist'),
    join(dirs.express!, 'dist'),
  ]

  test('no build output holds the provider key', () => {
    const leaks: string[] = []
    let files = 0
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = join(dir, name)
        if (name === 'cache') continue // next's build cache (compiler state, not served)
        if (statSync(file).isDirectory()) walk(file)
        else {
          files++
          if (readFileSync(file).includes(apiKey)) leaks.push(file)
        }
      }
    }
    for (const dir of outputs()) walk(dir)
    expect(files).toBeGreaterThan(20)
    expect(leaks).toEqual([])
  })

  test("the consumer's Vite build splits the audio-stream reader and the transcoder into chunks of their own", () => {
    const assets = readdirSync(join(dirs.vite!, 'dist', 'assets'))
    expect(
      assets.some((file) => /^audio-stream-.*\.js$/.test(file)),
      assets.join(' '),
    ).toBe(true)
    expect(
      assets.some((file) => /^transcode-.*\.js$/.test(file)),
      assets.join(' '),
    ).toBe(true)
    const main = assets.find((file) => /^index-.*\.js$/.test(file))!
    expect(readFileSync(join(dirs.vite!, 'dist', 'assets', main), 'utf8')).not.toContain('audio stream broke')
  })

  test('no app installs msgpackr or its native addon (only @voicekit/core/fish would need it)', () => {
    for (const dir of Object.values(dirs)) {
      const store = readdirSync(join(dir, 'node_modules', '.pnpm'))
      expect(store.filter((name) => name.startsWith('msgpackr'))).toEqual([])
    }
  })

  test('@voicekit/core/fish without msgpackr: a VoiceError that names it', async () => {
    const script = `
      const { createFishSpeaker } = await import('@voicekit/core/fish')
      const error = await createFishSpeaker({ baseUrl: 'http://127.0.0.1:9' }).speak('Hello.').catch((e) => e)
      console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }))`
    const { stdout } = await sh(process.execPath, ['--input-type=module', '-e', script], dirs.express!)
    const error = JSON.parse(stdout)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'provider_misconfigured' })
    expect(error.message).toMatch(/msgpackr/)
  })
})

describe('TypeScript with moduleResolution nodenext and skipLibCheck false', () => {
  test('accepts correct use (the example server, every Node entry) and rejects createVoiceProxy({ providers: 42 })', async () => {
    expect(statSync(join(dirs.express!, 'dist', 'server.js')).isFile()).toBe(true) // built by tsc
    const failure = await typecheck
    // Exactly one error, on the wrong call: the declarations resolve (nothing is silently `any`),
    // and nothing in them needs Vite's or React's types.
    expect(failure).toMatch(/typecheck\/wrong\.ts\(2,\d+\): error TS\d+/)
    expect(failure.match(/error TS/g)).toHaveLength(1)
  })
})
