// No import cycles in the libraries: every module of packages/*/src, its static imports, re-exports and
// dynamic import()s (a lazy chunk that imports its importer back is still a cycle), across packages
// through their `@voicekit/*` source entries. Type-only imports are left out: they vanish at runtime.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const packagesDir = join(root, 'packages')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !/\.(test|stories)\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** `@voicekit/core/fish` → its source file, from each package.json's `@voicekit/source` export condition. */
const entries = new Map<string, string>()
for (const name of readdirSync(packagesDir)) {
  const manifest = join(packagesDir, name, 'package.json')
  if (!existsSync(manifest)) continue
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; exports?: Record<string, unknown> }
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const source = (target as Record<string, unknown> | null)?.['@voicekit/source']
    if (typeof source === 'string') entries.set(join(pkg.name, subpath), resolve(packagesDir, name, source))
  }
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('@voicekit/')) return entries.get(specifier)
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(dirname(from), specifier)
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  )
}

const IMPORT =
  /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found: string[] = []
  for (const match of text.matchAll(IMPORT)) {
    if (match[2]) continue // import type / export type
    const specifier = match[3] ?? match[4]
    const target = specifier && resolveImport(file, specifier)
    if (target) found.push(target)
  }
  return found
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string) => {
    indices.set(node, index)
    low.set(node, index++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!))
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component)
    }
  }
  for (const node of graph.keys()) if (!indices.has(node)) visit(node)
  return found
}

test('the import graph of packages/*/src has no cycles', () => {
  const files = readdirSync(packagesDir).flatMap((name) => {
    const src = join(packagesDir, name, 'src')
    return existsSync(src) ? sourceFiles(src) : []
  })
  const graph = new Map(files.map((file) => [file, importsOf(file)]))
  // Sanity: the walk sees the graph, cross-package and lazy edges included.
  expect(files.length).toBeGreaterThan(50)
  const http = join(packagesDir, 'core/src/transport/http.ts')
  expect(graph.get(http)).toContain(join(packagesDir, 'core/src/transport/audio-stream.ts'))
  expect([...graph.values()].flat()).toContain(join(packagesDir, 'core/src/index.ts'))
  expect(cycles(graph).map((cycle) => cycle.map((file) => relative(root, file)).sort())).toEqual([])
})

test('the cycle finder finds a cycle', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['d']],
    ['e', ['a']],
  ])
  expect(cycles(graph).map((cycle) => cycle.sort())).toEqual([['a', 'b', 'c'], ['d']])
})
