// The examples as a user gets them: copied out of the workspace, with the four packages
// installed from their packed tarballs (pnpm from the registry, one shared store), built
// and started as their READMEs say.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export const root = fileURLToPath(new URL('../..', import.meta.url))
export const PACKAGES = ['core', 'react', 'ui', 'proxy'] as const
const run = promisify(execFile)

/** A scratch folder outside the workspace, so that nothing resolves from the repository's node_modules. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'voicekit-packaging-'))
}

export interface Timed<T> {
  value: T
  ms: number
}
export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now()
  const value = await work()
  return { value, ms: Math.round(performance.now() - started) }
}

/** Runs a command; on failure the error carries the tail of its output. */
export async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(command, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    })
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${`${stdout}\n${stderr}`.slice(-4000)}`)
  }
}

/** `pnpm pack` of each package (dist, README, LICENSE, publishConfig applied). Name → tarball path. */
export async function packAll(into: string): Promise<Record<string, string>> {
  const tarballs: Record<string, string> = {}
  for (const name of PACKAGES) {
    const { stdout } = await sh('pnpm', ['pack', '--json', '--pack-destination', into], join(root, 'packages', name))
    tarballs[`@voicekit/${name}`] = (JSON.parse(stdout) as { filename: string }).filename
  }
  return tarballs
}

/**
 * Copies an example out of the repository and installs it, the @voicekit packages taken from
 * the tarballs. `dependencies` overrides versions in its package.json (React 18.3).
 */
export async function installExample(
  example: string,
  into: string,
  tarballs: Record<string, string>,
  dependencies: Record<string, string> = {},
) {
  const dir = join(into, example)
  cpSync(join(root, 'examples', example.replace(/-react18$/, '')), dir, {
    recursive: true,
    filter: (source) => !/node_modules|\/dist$|\/\.next$/.test(source),
  })
  const pkgFile = join(dir, 'package.json')
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'))
  for (const [name, version] of Object.entries(dependencies)) pkg.dependencies[name] = version
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2))
  await installApp(dir, tarballs)
  return dir
}

/** `pnpm install` in an app folder, the registry's @voicekit packages replaced by the tarballs. */
export async function installApp(dir: string, tarballs: Record<string, string>) {
  // pnpm's settings for this app alone: the tarballs stand in for the registry's @voicekit packages.
  const overrides = Object.entries(tarballs).map(([name, file]) => `  '${name}': 'file:${file}'`)
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), `overrides:\n${overrides.join('\n')}\n`)
  await sh('pnpm', ['install', '--prefer-offline', '--reporter=silent'], dir, { CI: 'true' })
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface App {
  url: string
  log: string
  stop(): void
}

/** Starts a server (its own process group, so that stop() ends its children too) and waits for `/`. */
export async function startApp(
  dir: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<App> {
  const log = join(dir, 'server.log')
  const out = openSync(log, 'w')
  const child: ChildProcess = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
    detached: true,
  })
  const url = `http://127.0.0.1:${port}`
  const stop = () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {}
    }
  }
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return { url, log, stop }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  stop()
  throw new Error(`${command} ${args.join(' ')} did not serve ${url}:\n${readTail(log)}`)
}

export function readTail(file: string, chars = 3000): string {
  return existsSync(file) ? readFileSync(file, 'utf8').slice(-chars) : ''
}

/**
 * Presses the page's Dictate button (a VoiceInput), lets the fake microphone speak, presses it again, and
 * expects the fixture's words in the Message field.
 */
export async function dictate(page: Page) {
  const mic = page.getByRole('button', { name: 'Dictate' })
  await mic.click()
  await expect.poll(() => mic.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true')
  // The fixture phrase is 2.3 s, looped: 5 s hold at least one whole phrase.
  await page.waitForTimeout(5_000)
  await mic.click()
  const field = page.getByRole('textbox', { name: 'Message' })
  // Waits for the transcript or for an error (which then shows in the failure), not for a fixed time.
  const alert = page.getByRole('alert')
  await expect
    .poll(async () => (await field.inputValue()) || ((await alert.count()) ? await alert.first().textContent() : ''), {
      timeout: 90_000,
    })
    .not.toBe('')
  expect(await field.inputValue(), (await page.locator('body').textContent()) ?? '').toMatch(
    /kitchen|lights|turn|please/,
  )
}
