#!/usr/bin/env node
// The API report of every published entry (each `exports` entry with types, in packages/*), made
// by API Extractor from the built declarations (run `pnpm -r --filter './packages/*' build` first).
//   node scripts/api-report.mjs           check: fails if a report differs from the built surface
//   node scripts/api-report.mjs --update  rewrite the reports (`pnpm api` builds, then runs this)
// Reports live beside each package: packages/<dir>/api/<entry>.api.md (`index` for the main entry,
// the subpath otherwise: `server`, `transport`, `fish`, `vite`, ...).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor'

const root = fileURLToPath(new URL('..', import.meta.url))
const update = process.argv.includes('--update')
const base = ExtractorConfig.loadFile(join(root, 'api-extractor.json'))

/** The published entries of a package: report name and built declaration file. */
function entriesOf(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (pkg.private) return []
  return Object.entries(pkg.exports ?? {})
    .filter(([, target]) => typeof target !== 'string' && target.types)
    .map(([subpath, target]) => ({
      name: subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-'),
      types: join(dir, target.types),
    }))
}

const packages = readdirSync(join(root, 'packages'))
  .sort()
  .map((dirName) => ({ dir: join(root, 'packages', dirName), entries: entriesOf(join(root, 'packages', dirName)) }))
const all = packages.flatMap(({ dir, entries }) => entries.map((entry) => ({ ...entry, dir })))
const entries = all.filter((entry) => existsSync(entry.types))
const problems = all
  .filter((entry) => !entries.includes(entry))
  .map((entry) => `${relative(root, entry.types)} missing: build the packages first`)
const stale = []
// A report whose entry is gone (a subpath removed or renamed) goes with it.
for (const { dir, entries: own } of packages) {
  const folder = join(dir, 'api')
  if (!existsSync(folder)) continue
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.api.md'))) {
    if (own.some((entry) => `${entry.name}.api.md` === file)) continue
    if (update) rmSync(join(folder, file))
    stale.push(`${relative(root, join(folder, file))} (no such entry${update ? ': deleted' : ''})`)
  }
}
if (entries.length > 0) {
  const configs = entries.map((entry) =>
    ExtractorConfig.prepare({
      configObject: {
        ...base,
        projectFolder: entry.dir,
        mainEntryPointFilePath: entry.types,
        compiler: { overrideTsconfig: { ...base.compiler.overrideTsconfig, files: [entry.types] } },
        apiReport: { ...base.apiReport, reportFileName: `${entry.name}.api.md` },
      },
      configObjectFullPath: join(root, 'api-extractor.json'),
      packageJsonFullPath: join(entry.dir, 'package.json'),
    }),
  )
  // One TypeScript program for every entry: the DOM, Node and React declarations are read once.
  const compilerState = CompilerState.create(configs[0], {
    additionalEntryPoints: entries.slice(1).map((entry) => entry.types),
  })
  for (const [index, config] of configs.entries()) {
    const entry = entries[index]
    const report = relative(root, join(entry.dir, 'api', `${entry.name}.api.md`))
    if (update) mkdirSync(join(entry.dir, 'api'), { recursive: true })
    const result = Extractor.invoke(config, {
      localBuild: update,
      compilerState,
      showVerboseMessages: false,
      messageCallback(message) {
        // API Extractor's progress lines and its notices about the report: summarised below instead.
        if (message.logLevel === ExtractorLogLevel.Info || message.logLevel === ExtractorLogLevel.Verbose)
          message.handled = true
        if (/^console-api-report-/.test(message.messageId)) message.handled = true
      },
    })
    if (result.errorCount > 0) problems.push(`${report}: API Extractor reported ${result.errorCount} error(s) above`)
    if (result.apiReportChanged) stale.push(existsSync(join(root, report)) ? report : `${report} (missing)`)
  }
}

if (update) {
  console.log(stale.length ? `API reports written:\n  ${stale.join('\n  ')}` : 'API reports are up to date.')
} else if (stale.length) {
  console.error(
    `✗ The public API differs from its report in:\n  ${stale.join('\n  ')}\n` +
      'Run `pnpm api` (builds the packages and rewrites the reports), review the diff, and commit the reports.',
  )
}
for (const problem of problems) console.error(`✗ ${problem}`)
process.exit(problems.length || (!update && stale.length) ? 1 : 0)
