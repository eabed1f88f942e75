#!/usr/bin/env node
// `pnpm release [--dry-run]`: builds the four packages, packs each with pnpm (which applies
// publishConfig and turns workspace: ranges into versions), and publishes the tarballs with
// `npm publish`. With --dry-run, npm shows what it would publish and publishes nothing.
// Versions and changelogs come first, from the changesets: `pnpm version-packages`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dryRun = process.argv.includes('--dry-run')
const packages = ['core', 'react', 'ui', 'proxy'] // dependencies first
const run = (command, args, cwd = root) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })

run('pnpm', ['-r', '--filter', './packages/*', 'build'])
const out = mkdtempSync(join(tmpdir(), 'voicekit-release-'))
try {
  for (const name of packages) {
    const dir = join(root, 'packages', name)
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const { filename } = JSON.parse(run('pnpm', ['pack', '--json', '--pack-destination', out], dir))
    console.log(`\n@voicekit/${name}@${version}: npm publish${dryRun ? ' --dry-run' : ''}`)
    execFileSync('npm', ['publish', filename, '--access', 'public', ...(dryRun ? ['--dry-run'] : [])], {
      cwd: out,
      stdio: 'inherit',
    })
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
