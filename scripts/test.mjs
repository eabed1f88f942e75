#!/usr/bin/env node
// `pnpm test`: every check, then one line `N passed, N failed` summed over all of
// them. Build, type-check and lint count as one check each; every Vitest test
// (unit, dom, chromium, firefox, webkit, e2e, storybook) counts as one.
// Extra arguments go to Vitest, e.g. `pnpm test --project unit`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const vitestArgs = process.argv.slice(2)
let passed = 0
let failed = 0

function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  return result.status === 0
}

function check(label, command, args) {
  const ok = run(label, command, args)
  if (ok) passed++
  else {
    failed++
    console.error(`✗ ${label} failed`)
  }
  return ok
}

if (!run('system packages', process.execPath, ['scripts/ensure-system-deps.mjs'])) process.exit(1)
if (!run('fixtures', process.execPath, ['scripts/make-fixtures.mjs', '--check'])) process.exit(1)

check('build packages', 'pnpm', ['-r', '--filter', './packages/*', 'build'])
check('type-check', 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.json'])
check('lint and format', 'pnpm', ['exec', 'biome', 'ci', '.'])

const report = join(root, 'test-results', 'vitest.json')
rmSync(report, { force: true })
mkdirSync(dirname(report), { recursive: true })
run('vitest', 'pnpm', [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...vitestArgs,
])
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'))
  passed += results.numPassedTests
  failed += results.numFailedTests + results.numPendingTests + results.numTodoTests
  // A file that fails to load has no tests to count: count the file.
  failed += results.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length
} else {
  console.error('✗ vitest wrote no report')
  failed++
}

console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
