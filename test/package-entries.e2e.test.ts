// Every public entry of every package, as built (`pnpm build`), imports in plain
// Node with no DOM, and has its types next to it. The test runner builds first.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
// apps/demo depends on every package, so bare specifiers resolve from there as in an app.
const consumer = join(root, 'apps', 'demo')

type Target = string | Record<string, string>
const entries = readdirSync(join(root, 'packages')).flatMap((dir) => {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
    name: string
    exports: Record<string, Target>
  }
  return Object.entries(pkg.exports)
    .filter((entry): entry is [string, Record<string, string>] => typeof entry[1] !== 'string' && !!entry[1].types)
    .map(([subpath, target]) => ({ dir, specifier: `${pkg.name}${subpath.slice(1)}`, target }))
})

describe.each(entries)('$specifier', ({ dir, specifier, target }) => {
  test('is built with its types', () => {
    for (const file of [target.default, target.types]) {
      expect(file, `${specifier} exports`).toBeTruthy()
      expect(existsSync(join(root, 'packages', dir, file!)), `${file} (run pnpm build)`).toBe(true)
    }
  })

  test('imports in plain Node without a DOM', () => {
    const script = `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).length)`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumer,
      encoding: 'utf8',
    })
    expect(Number(out.trim())).toBeGreaterThan(0)
  })
})
