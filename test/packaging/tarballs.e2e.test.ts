// What `pnpm pack` puts in each tarball, and what publint and arethetypeswrong say of it.
// The test runner builds the packages first (`pnpm -r --filter './packages/*' build`).
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PACKAGES, packAll, root, scratch, sh } from './apps.ts'

let work: string
let tarballs: Record<string, string>

beforeAll(async () => {
  work = scratch()
  tarballs = await packAll(work)
}, 120_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

const bin = (name: string) => join(root, 'node_modules', '.bin', name)

describe.each(PACKAGES.map((name) => `@voicekit/${name}`))('%s', (name) => {
  const files = async () => (await sh('tar', ['tzf', tarballs[name]!], work)).stdout.trim().split('\n')
  const manifest = async () =>
    JSON.parse((await sh('tar', ['xzOf', tarballs[name]!, 'package/package.json'], work)).stdout) as Record<
      string,
      unknown
    >

  test('holds dist, README and LICENSE only: no sources, test helpers, tests or source maps', async () => {
    const list = await files()
    console.info(`${name}: ${list.map((file) => file.replace(/^package\//, '')).join(' ')}`)
    expect(list).toContain('package/README.md')
    expect(list).toContain('package/LICENSE')
    expect(list).toContain('package/package.json')
    expect(list).toContain('package/dist/index.js')
    expect(list).toContain('package/dist/index.d.ts')
    const others = list.filter((file) => !/^package\/(dist\/.+|README\.md|LICENSE|package\.json)$/.test(file))
    expect(others).toEqual([])
    expect(list.filter((file) => /\/src\/|test-support|test-streams|\.test\.|\.stories\.|\.map$/.test(file))).toEqual(
      [],
    )
    const license = (await sh('tar', ['xzOf', tarballs[name]!, 'package/LICENSE'], work)).stdout
    expect(license).toMatch(/^MIT License/)
  })

  test('its package.json: the source condition stays in the workspace; metadata complete; a default condition', async () => {
    const pkg = await manifest()
    expect(JSON.stringify(pkg.exports)).not.toContain('@voicekit/source')
    expect(JSON.stringify(pkg.exports)).not.toContain('./src/')
    for (const target of Object.values(pkg.exports as Record<string, string | Record<string, string>>)) {
      if (typeof target !== 'string') expect(Object.keys(target).at(-1)).toBe('default')
    }
    for (const field of ['license', 'repository', 'homepage', 'bugs', 'keywords', 'engines'])
      expect(pkg[field], field).toBeTruthy()
    expect(pkg.sideEffects, 'sideEffects').toBeDefined() // false, or ui's stylesheet
    expect(pkg.license).toBe('MIT')
    expect(JSON.stringify(pkg)).not.toContain('workspace:')
  })

  test('publint finds nothing', async () => {
    const { stdout } = await sh(bin('publint'), [tarballs[name]!, '--strict'], work)
    expect(stdout).toContain('All good!')
  })

  test('arethetypeswrong: types resolve under node16 (ESM) and bundler; only the expected node10/CJS notes', async () => {
    // esm-only: these packages are ESM, so require() and node10 resolution are not supported on purpose.
    const { stdout } = await sh(
      bin('attw'),
      [tarballs[name]!, '--profile', 'esm-only', '--format', 'json', '--exclude-entrypoints', 'styles.css'],
      work,
    ).catch((error: Error) => ({ stdout: error.message }))
    const result = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      analysis: { problems: { kind: string; resolutionKind: string; entrypoint: string }[] }
    }
    const unexpected = result.analysis.problems.filter(
      (problem) => !['node10', 'node16-cjs'].includes(problem.resolutionKind),
    )
    expect(unexpected).toEqual([])
    const notes = new Set(result.analysis.problems.map((problem) => problem.kind))
    for (const kind of notes) expect(['NoResolution', 'CJSResolvesToESM']).toContain(kind)
  })
})

test('@voicekit/ui declares every peer its code imports, @tanstack/react-query included', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', 'ui', 'package.json'), 'utf8'))
  expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@tanstack/react-query', 'react', 'react-dom'])
})

test('msgpackr is an optional peer of @voicekit/core, not a dependency', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', 'core', 'package.json'), 'utf8'))
  expect(pkg.dependencies?.msgpackr).toBeUndefined()
  expect(pkg.peerDependencies.msgpackr).toBeTruthy()
  expect(pkg.peerDependenciesMeta.msgpackr).toEqual({ optional: true })
})
