// Every figure and list in the docs between `bench:`, `code:` and `test:` markers is the one that
// bench/results.json or the code holds (`pnpm bench:docs` writes them; scripts/bench-docs.mjs), and the
// lists written in prose (hooks, components, providers) name everything the packages export.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { providerDescriptors, VOICE_ERROR_CODES } from '../../packages/core/src/server'

const root = fileURLToPath(new URL('../..', import.meta.url))
const script = join(root, 'scripts/bench-docs.mjs')
const doc = (path: string) => readFileSync(join(root, path), 'utf8')
const results = JSON.parse(doc('bench/results.json')) as {
  rows: { group: string; name: string; ours: string; baseline: string; note?: string }[]
}

/** What a doc holds between `<!-- kind … -->` and `<!-- /kind -->` (every such block, joined). */
function block(path: string, kind: string): string {
  const found = [...doc(path).matchAll(new RegExp(`<!-- ${kind}(?: [^>]*)? -->([\\s\\S]*?)<!-- /${kind} -->`, 'g'))]
  expect(found.length, `${path} has a ${kind} block`).toBeGreaterThan(0)
  return found.map((m) => m[1]).join('\n')
}
const figures = (text: string) => text.match(/\d[\d,]*(?:\.\d+)?/g) ?? []

test('the docs show what bench/results.json and the code hold (pnpm bench:docs writes them)', () => {
  expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow()
})

describe('a stale doc is caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-docs-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('a streamed-reply figure that changed in bench/results.json makes --check fail, naming the doc', () => {
    const changed = structuredClone(results)
    const row = changed.rows.find((r) => r.group === 'streamed' && r.name.includes('first audio after'))
    expect(row).toBeDefined()
    row!.ours = '9.99 s speak(textStream)'
    const file = join(dir, 'results.json')
    writeFileSync(file, JSON.stringify(changed))
    const run = spawnSync(process.execPath, [script, '--check', `--results=${file}`], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('docs/streamed-speech.md is out of date')
  })

  test('a dictation figure that changed in bench/results.json makes --check fail, naming both docs', () => {
    const changed = structuredClone(results)
    const row = changed.rows.find((r) => r.group === 'dictation' && r.name.startsWith('stop → whole text, 10 min'))
    expect(row).toBeDefined()
    row!.ours = '99.99 s continuous (999 segments)'
    const file = join(dir, 'dictation.json')
    writeFileSync(file, JSON.stringify(changed))
    const run = spawnSync(process.execPath, [script, '--check', `--results=${file}`], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('docs/performance.md is out of date')
    expect(run.stderr).toContain('docs/dictation.md is out of date')
  })

  test('a bench row the docs need that is gone is an error, not a silent blank', () => {
    const changed = structuredClone(results)
    changed.rows = changed.rows.filter((r) => !r.name.startsWith('time to first audio, Chromium mse'))
    const file = join(dir, 'missing.json')
    writeFileSync(file, JSON.stringify(changed))
    const run = spawnSync(process.execPath, [script, '--check', `--results=${file}`], { encoding: 'utf8' })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('time to first audio, Chromium mse')
  })
})

describe('the figures are written, not typed', () => {
  test('streamed-speech.md: every streamed and first-audio figure of the last run is in its tables', () => {
    const streamed = block('docs/streamed-speech.md', 'bench:streamed')
    const playback = block('docs/streamed-speech.md', 'bench:first-audio')
    for (const row of results.rows.filter((r) => r.group === 'streamed'))
      for (const figure of figures(row.ours)) expect(streamed, row.name).toContain(figure)
    for (const row of results.rows.filter((r) => r.name.includes(': first audio after the first byte, and underruns')))
      expect(playback, row.name).toContain(row.ours.replace(/ underruns?$/, ''))
  })

  test('performance.md and dictation.md: the 1, 5 and 10 min dictation rows and the soak, each figure in their tables', () => {
    const dictation = results.rows.filter((r) => r.group === 'dictation')
    for (const m of [1, 5, 10])
      expect(
        dictation.map((r) => r.name).some((name) => name.startsWith(`stop → whole text, ${m} min of speech`)),
      ).toBe(true)
    expect(dictation.some((r) => r.name.startsWith('soak: '))).toBe(true)
    for (const path of ['docs/performance.md', 'docs/dictation.md']) {
      const table = block(path, 'bench:dictation')
      for (const row of dictation) {
        for (const figure of figures(row.ours)) expect(table, `${path}: ${row.name}`).toContain(figure)
        for (const figure of [
          /first words ([\d.]+ s)/,
          /recall ([\d.]+)/,
          /peak JS heap ([\d.]+) MiB/,
          /live after gc at most ([\d.]+) MiB/,
        ])
          if (figure.exec(row.note ?? '')) expect(table, `${path}: ${row.name}`).toContain(figure.exec(row.note!)![1])
      }
    }
  })

  test('proxy-performance.md: each proxy path figure of the last run is in its table', () => {
    const table = block('docs/proxy-performance.md', 'bench:proxy')
    for (const row of results.rows.filter((r) => r.group === 'proxy' && !r.name.includes('memory'))) {
      const cpu = /proxy CPU ([\d.]+ ms)/.exec(row.note ?? '')?.[1]
      expect(table, row.name).toContain(`${cpu} CPU`)
    }
  })

  test('errors.md lists every VoiceErrorCode exactly once', () => {
    const table = block('docs/errors.md', 'code:error-codes')
    for (const code of VOICE_ERROR_CODES) expect(table.split(`\`${code}\``).length - 1, code).toBe(1)
  })

  test('proxy.md and the proxy README list every built-in provider: how its key is sent, and its routes', () => {
    const table = block('docs/proxy.md', 'code:providers')
    const routes = block('packages/proxy/README.md', 'code:routes')
    for (const d of Object.values(providerDescriptors)) {
      expect(table).toContain(`| ${d.name} `)
      expect(table).toContain(`\`${d.auth.header}: ${d.auth.prefix ?? ''}<key>\``)
      for (const e of d.endpoints) {
        expect(table).toContain(`{basePath}/${d.id}${e.path}`)
        expect(routes).toContain(`\`${d.id}${e.path}\``)
      }
    }
  })

  test("performance.md's budgets are test/budgets.test.ts's", () => {
    const budgets = block('docs/performance.md', 'test:budget')
    const asserted = [...doc('test/budgets.test.ts').matchAll(/toBeLessThanOrEqual\((\d+) \* kB\)/g)].map((m) => m[1])
    expect(asserted.length).toBeGreaterThan(0)
    for (const kB of asserted) expect(budgets).toContain(`≤ ${kB} kB`)
  })
})

describe('the prose lists name everything the packages export', () => {
  const named = (path: string, names: string[]) => names.filter((name) => !doc(path).includes(`\`${name}\``))

  test('hooks.md and the react README name every hook of @voicekit/react', async () => {
    const react = await import('../../packages/react/src/index')
    const hooks = Object.keys(react).filter((name) => /^use[A-Z]/.test(name))
    expect(hooks.length).toBeGreaterThan(10)
    expect(named('docs/hooks.md', hooks)).toEqual([])
    expect(named('packages/react/README.md', hooks)).toEqual([])
  })

  test('components.md and the ui README name every component of @voicekit/ui and its voice-controls', async () => {
    const entries = [await import('../../packages/ui/src/index'), await import('../../packages/ui/src/voice-controls')]
    const components = entries.flatMap((entry) => Object.keys(entry).filter((name) => /^[A-Z][a-z]/.test(name)))
    expect(components.length).toBeGreaterThan(5)
    expect(named('docs/components.md', components)).toEqual([])
    expect(named('packages/ui/README.md', components)).toEqual([])
  })

  test('providers.md and the core README name every built-in provider', () => {
    for (const path of ['docs/providers.md', 'packages/core/README.md'])
      for (const d of Object.values(providerDescriptors)) expect(doc(path), `${path}: ${d.name}`).toContain(d.name)
  })
})
