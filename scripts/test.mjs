#!/usr/bin/env node
// `pnpm test`: every check, then one line `N passed, N failed` summed over all of
// them. Build, the API reports, type-check and lint count as one check each; every Vitest test
// (unit, dom, chromium, firefox, webkit, e2e, storybook) counts as one.
// Extra arguments go to Vitest, e.g. `pnpm test --project unit`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const vitestArgs = process.argv.slice(2)
let passed = 0
let failed = 0

function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) console.error(`✗ ${label} exited with ${result.signal ?? `code ${result.status}`}`)
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

const built = check('build packages', 'pnpm', ['-r', '--filter', './packages/*', 'build'])
// Each published entry's surface against its report in packages/*/api (`pnpm api` rewrites them).
if (built) check('API reports', process.execPath, ['scripts/api-report.mjs'])
else {
  failed++
  console.error('✗ API reports not checked: the build failed')
}
check('type-check', 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.json'])
check('lint and format', 'pnpm', ['exec', 'biome', 'ci', '.'])

// Vitest runs in separate processes, one group of projects each, so that if one dies
// (a native crash takes the whole process and its report with it) the others still
// report. A death is counted as a failure, named, and — where the crash left a core
// dump — explained by a native backtrace in the log.
const groups = vitestArgs.length
  ? [{ name: 'vitest', args: vitestArgs }]
  : [
      { name: 'node, jsdom and e2e', args: ['--project', 'unit', '--project', 'dom', '--project', 'e2e'] },
      { name: 'chromium', args: ['--project', 'chromium'] },
      { name: 'chromium, React 18.3', args: ['--project', 'chromium-react18'] },
      { name: 'firefox', args: ['--project', 'firefox'] },
      { name: 'webkit', args: ['--project', 'webkit'] },
      { name: 'storybook', args: ['--project', 'storybook'] },
    ]
const reports = join(root, 'test-results')
mkdirSync(reports, { recursive: true })
for (const [index, group] of groups.entries()) {
  const report = join(reports, `vitest-${index}.json`)
  rmSync(report, { force: true })
  for (const file of readdirSync(root)) if (/^core(\.\d+)?$/.test(file)) rmSync(join(root, file))
  const command = [
    'pnpm',
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]
  const ok = run(`vitest (${group.name})`, 'bash', [
    '-c',
    'ulimit -c unlimited 2>/dev/null; exec "$@"',
    'vitest',
    ...command,
    ...group.args,
  ])
  if (existsSync(report)) {
    const results = JSON.parse(readFileSync(report, 'utf8'))
    passed += results.numPassedTests
    failed += results.numFailedTests + results.numPendingTests + results.numTodoTests
    // A file that fails to load has no tests to count: count the file.
    failed += results.testResults.filter(
      (file) => file.status === 'failed' && file.assertionResults.length === 0,
    ).length
  } else {
    console.error(`✗ vitest (${group.name}) wrote no report: counted as one failure`)
    failed++
  }
  if (!ok) explainCrash()
}

/** Prints the native stack of a process that dumped core in the repository root. */
function explainCrash() {
  const core = readdirSync(root).find((file) => /^core(\.\d+)?$/.test(file))
  if (!core) return
  const gdb = spawnSync('gdb', ['-batch', '-ex', 'info threads', '-ex', 'bt 30', process.execPath, join(root, core)], {
    encoding: 'utf8',
  })
  console.error(`--- native backtrace from ${core} ---\n${gdb.stdout || gdb.stderr || 'gdb unavailable'}`)
  rmSync(join(root, core))
}

console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
