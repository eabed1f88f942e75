// `pnpm bench`: every figure side by side with its alternative, in one run, as one table and
// bench/results.json. Never part of `pnpm test` (only the bundle budgets are: test/budgets.test.ts).
// Usage: pnpm bench [group ...]   groups: bundle proxy capture playback streamed react dictation (default: all)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { captureBench } from './capture.ts'
import { removeMedia } from './media.ts'
import { proxyBench } from './proxy.ts'
import { sizeRows } from './sizes.ts'
import type { Row } from './stats.ts'

type Group = 'bundle' | 'proxy' | 'capture' | 'playback' | 'streamed' | 'react' | 'dictation'
const GROUPS: Record<Group, (log: (line: string) => void) => Promise<Row[]>> = {
  bundle: () => sizeRows(),
  proxy: proxyBench,
  capture: captureBench,
  playback: async (log) => (await import('./playback.ts')).playbackBench(log),
  streamed: async (log) => (await import('./streamed.ts')).streamedBench(log),
  react: async (log) => (await import('./renders.ts')).renderBench(log),
  dictation: async (log) => (await import('./dictation.ts')).dictationBench(log),
}

const asked = process.argv.slice(2).filter((arg): arg is Group => arg in GROUPS)
const groups = asked.length ? asked : (Object.keys(GROUPS) as Group[])
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  date: new Date().toISOString(),
}
const log = (line: string) => process.stderr.write(`  … ${line}\n`)

const started = performance.now()
const rows: Row[] = []
const failures: { group: Group; error: string }[] = []
for (const group of groups) {
  log(group)
  try {
    rows.push(...(await GROUPS[group](log)))
  } catch (error) {
    // One broken group must not hide the others' figures.
    failures.push({ group, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    log(`${group} FAILED: ${error instanceof Error ? error.message : String(error)}`)
  }
}
removeMedia()
const seconds = (performance.now() - started) / 1000

const header = ['group', 'figure', 'voicekit', 'alternative', 'ratio', 'note']
const cells = rows.map((r) => [
  r.group,
  r.name,
  r.ours,
  r.baseline,
  r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
  r.note ?? '',
])
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)))
const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`
console.log(
  `voicekit bench — ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ${seconds.toFixed(0)} s`,
)
console.log('Ratios are voicekit ÷ the alternative in the same run (this machine is shared and noisy).\n')
console.log(line(header))
console.log(line(widths.map((w) => '-'.repeat(w))))
for (const c of cells) console.log(line(c))
for (const f of failures) console.log(`\n${f.group} failed:\n${f.error}`)

// A run of some groups replaces those groups' figures and keeps the others' from the last run, so
// results.json always holds every figure the docs show (`pnpm bench:docs` writes them there).
const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url))
const previous: { runs?: Record<string, typeof machine & { seconds: number }>; rows?: Row[] } = existsSync(resultsFile)
  ? JSON.parse(readFileSync(resultsFile, 'utf8'))
  : {}
// `pnpm bench dictation` also writes real-time dictation's rows (group 'realtime', bench/realtime.ts);
// DICTATION_REALTIME_ONLY=1 writes those alone and keeps the dictation rows of the last run.
const realtimeOnly = process.env.DICTATION_REALTIME_ONLY === '1'
const ran = new Set<string>(groups.filter((g) => !(realtimeOnly && g === 'dictation')))
for (const row of rows) ran.add(row.group)
const runs = { ...previous.runs }
for (const group of ran) runs[group] = { ...machine, seconds: Math.round(seconds) }
writeFileSync(
  resultsFile,
  `${JSON.stringify(
    {
      machine,
      seconds,
      runs,
      rows: [...(previous.rows ?? []).filter((row) => !ran.has(row.group)), ...rows],
      failures,
    },
    null,
    2,
  )}\n`,
)
process.exitCode = failures.length ? 1 : 0
