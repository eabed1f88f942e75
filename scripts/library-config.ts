// One Vite library-mode build for every package: each `exports` entry that points
// at src becomes an ESM entry; dependencies and peers stay external.
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import type { UserConfig } from 'vite'

interface PackageJson {
  exports: Record<string, string | Record<string, string>>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

export function libraryConfig(dir: string): UserConfig {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson
  const entry: Record<string, string> = {}
  for (const target of Object.values(pkg.exports)) {
    if (typeof target === 'string') continue // plain files such as styles.css
    const source = target['@voicekit/source']
    const output = target.import
    if (!source || !output) continue
    entry[output.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = join(dir, source)
  }
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  return {
    root: dir,
    logLevel: 'warn',
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      target: 'es2022',
      lib: { entry, formats: ['es'] },
      rolldownOptions: {
        external: (id) =>
          id.startsWith('node:') ||
          builtinModules.includes(id) ||
          external.some((name) => id === name || id.startsWith(`${name}/`)),
      },
    },
  }
}
