// The key never reaches a client bundle. Every package and the demo are built here, into temporary
// folders, with provider keys (canaries) set in the build environment (plain and VITE_-prefixed), and
// every output file is scanned for them. The bundles already on disk (packages/*/dist, apps/demo/dist,
// storybook-static) are scanned for anything shaped like a key.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { providerDescriptors } from '@voicekit/core'
import { afterAll, describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const CANARY = 'LEAKCANARY9f2c41d7'
const env: Record<string, string> = { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } as never
// Each provider's own env variables, as its descriptor names them.
for (const descriptor of Object.values(providerDescriptors)) {
  if (!descriptor.env) continue
  const name = descriptor.env.apiKey
  env[name] = `sk-test-${name}-${CANARY}`
  env[`VITE_${name}`] = `sk-test-vite-${name}-${CANARY}`
}
env.SPEECH_SERVER_KEY = `speech-${CANARY}`

const out = mkdtempSync(join(tmpdir(), 'voicekit-key-scan-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

function files(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

function build(cwd: string, outDir: string) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  execFileSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd,
    env,
    stdio: 'pipe',
  })
}

const targets = [
  ...readdirSync(join(root, 'packages')).map((name) => ({
    name: `@voicekit/${name}`,
    dir: join(root, 'packages', name),
  })),
  { name: 'the demo', dir: join(root, 'apps', 'demo') },
]

describe('bundles built with keys in the environment', () => {
  test.each(targets)('$name: no key in any output file', ({ name, dir }) => {
    const outDir = join(out, name.replace(/\W+/g, '-'))
    build(dir, outDir)
    const built = files(outDir)
    expect(built.length).toBeGreaterThan(0)
    for (const file of built) {
      expect(readFileSync(file).includes(CANARY), `${file} holds a key`).toBe(false)
    }
  })
})

// Key shapes: OpenAI/Dify `sk-…`, an `app-…` Dify app key, a Bearer token, the speech server's local key.
const KEY_SHAPES = [/\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/, /\bapp-[A-Za-z0-9]{20,}/, /Bearer [A-Za-z0-9._-]{20,}/]

describe('bundles on disk', () => {
  const dirs = [
    ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'dist')),
    join(root, 'apps', 'demo', 'dist'),
    join(root, 'storybook-static'),
  ].filter(existsSync)

  test.each(dirs.map((dir) => [dir.slice(root.length)]))('%s: nothing shaped like a key', (dir) => {
    for (const file of files(join(root, dir))) {
      if (!/\.(m?js|css|html|json|map|txt)$/.test(file)) continue
      const text = readFileSync(file, 'utf8')
      expect(text.includes(CANARY), file).toBe(false)
      for (const shape of KEY_SHAPES)
        expect(text.match(shape)?.[0], `${file} holds a key-shaped string`).toBeUndefined()
    }
  })
})
