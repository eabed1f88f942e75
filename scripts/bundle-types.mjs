#!/usr/bin/env node
// Bundles a package's declarations (emitted by tsc into dist/.types) into one `.d.ts`
// per export, beside its `.js`, with rollup-plugin-dts. Bundled declarations have no
// extensionless relative imports, so they resolve under `bundler`, `node16` and
// `nodenext` alike. Shared declarations go to a chunk with an explicit `.js`-style path.
// Run from a package directory (its `build` script).
import { readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { rollup } from 'rollup'
import { dts } from 'rollup-plugin-dts'

const dir = process.cwd()
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
const emitted = join(dir, 'dist', '.types')
const input = {}
for (const target of Object.values(pkg.exports)) {
  if (typeof target === 'string' || !target.types) continue
  const source = target['@voicekit/source']
  const declaration = join(emitted, relative(join(dir, 'src'), join(dir, source)).replace(/\.tsx?$/, '.d.ts'))
  input[target.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '')] = declaration
}
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
const bundle = await rollup({
  input,
  plugins: [dts()],
  external: (id) => id.startsWith('node:') || external.some((name) => id === name || id.startsWith(`${name}/`)),
})
await bundle.write({
  dir: join(dir, 'dist'),
  format: 'es',
  entryFileNames: '[name].d.ts',
  chunkFileNames: 'shared-[hash].d.ts',
})
await bundle.close()
rmSync(emitted, { recursive: true, force: true })
