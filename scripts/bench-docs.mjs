#!/usr/bin/env node
// `pnpm bench:docs`: writes the figures of bench/results.json (written by `pnpm bench`) into the
// docs, between markers, so that no figure in the docs is typed by hand:
//   <!-- bench:table -->…<!-- /bench:table -->                  every figure, as one table
//   <!-- bench:figure name="…" -->…<!-- /bench:figure -->        one figure (a row's `ours`), inline
// `--check` changes nothing and exits 1 when a doc is out of date (a unit test runs it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')
const results = JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8'))
const rows = results.rows

function table() {
  const runs = Object.entries(results.runs ?? {})
  const machines = [...new Set(runs.map(([, m]) => `${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}`))]
  const dates = runs.map(([group, m]) => `${group} ${m.date.slice(0, 10)}`).join(', ')
  const cell = (text) => String(text ?? '').replaceAll('|', '\\|')
  const header = ['group', 'figure', 'voicekit', 'alternative', 'ratio', 'note']
  const cells = rows.map((r) =>
    [r.group, r.name, r.ours, r.baseline, r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`, r.note].map(cell),
  )
  // Padded the way the formatter (biome) lays out a Markdown table, so that formatting changes nothing.
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`
  const lines = [
    `Measured on ${machines.join('; ')} (${dates}).`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ]
  return `\n${lines.join('\n')}\n`
}

function figure(name) {
  const row = rows.find((r) => r.name === name)
  if (!row) throw new Error(`bench/results.json has no figure named "${name}" (run pnpm bench)`)
  return row.ours
}

let stale = 0
const docs = join(root, 'docs')
for (const file of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
  const path = join(docs, file)
  const before = readFileSync(path, 'utf8')
  const after = before
    .replace(/(<!-- bench:table -->)[\s\S]*?(<!-- \/bench:table -->)/g, (_, open, close) => `${open}${table()}${close}`)
    .replace(
      /(<!-- bench:figure name="([^"]+)" -->)[\s\S]*?(<!-- \/bench:figure -->)/g,
      (_, open, name, close) => `${open}${figure(name)}${close}`,
    )
  if (after === before) continue
  stale++
  if (check) console.error(`docs/${file} is out of date with bench/results.json: run pnpm bench:docs`)
  else {
    writeFileSync(path, after)
    console.log(`docs/${file} updated`)
  }
}
if (check && stale) process.exit(1)
