// One Vite library-mode build for every package: each `exports` entry that points
// at src becomes an ESM entry; dependencies and peers stay external.
//
// Modules are preserved (one file in dist per module in src), so that what core loads
// on first need (`import('./audio-stream')`) stays a file of its own in dist and a
// consumer's bundler can still split it out; one flat dist/index.js would inline it.
// The declarations (tsc, then tsc-alias for explicit `.js` paths) mirror the same tree.
// No source maps: they would point at src, which is not published.
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import type { Plugin, UserConfig } from 'vite'

type Target = string | Record<string, string>
interface PackageJson {
  exports: Record<string, Target>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

export function libraryConfig(dir: string): UserConfig {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson
  const entry: Record<string, string> = {}
  const copies: { from: string; to: string }[] = []
  for (const target of Object.values(pkg.exports)) {
    if (typeof target === 'string') continue
    const source = target['@voicekit/source']
    const output = target.default
    if (!source || !output) continue
    if (/\.tsx?$/.test(source)) entry[output.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = join(dir, source)
    else copies.push({ from: join(dir, source), to: output.replace(/^\.\/dist\//, '') }) // e.g. styles.css
  }
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  return {
    root: dir,
    logLevel: 'warn',
    plugins: [copyFiles(copies)],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: false,
      minify: false,
      target: 'es2022',
      lib: { entry, formats: ['es'] },
      rolldownOptions: {
        external: (id) =>
          id.startsWith('node:') ||
          builtinModules.includes(id) ||
          external.some((name) => id === name || id.startsWith(`${name}/`)),
        output: {
          preserveModules: true,
          preserveModulesRoot: join(dir, 'src'),
          entryFileNames: '[name].js',
        },
      },
    },
  }
}

/** Plain files an export points at (a stylesheet), copied into dist as they are. */
function copyFiles(copies: { from: string; to: string }[]): Plugin {
  return {
    name: 'voicekit-copy-exported-files',
    generateBundle() {
      for (const { from, to } of copies) this.emitFile({ type: 'asset', fileName: to, source: readFileSync(from) })
    },
  }
}
