#!/usr/bin/env node
// `pnpm bench:docs`: writes into the docs, between markers, every figure and list that the bench or the
// code already knows, so that none of them is typed by hand. From bench/results.json (`pnpm bench`):
//   <!-- bench:table -->…<!-- /bench:table -->                 every figure, as one table
//   <!-- bench:figure name="…" -->…<!-- /bench:figure -->       one figure (a row's `ours`), inline
//   <!-- bench:first-audio -->, <!-- bench:streamed -->         the playback and streamed-reply tables
//   <!-- bench:proxy -->                                        the proxy paths side by side
//   <!-- bench:dictation -->                                    dictation's rows (1, 5, 10 min) and its soak
//   <!-- bench:realtime -->                                     real-time dictation's rows and the relay's
//   <!-- bench:time -->                                         how long the last runs took, inline
// From the code:
//   <!-- code:bench-groups -->                                  the groups of bench/run.ts, inline
//   <!-- code:assistant-reply -->                               the size of the reply the streamed bench speaks
//   <!-- code:error-codes -->                                   VOICE_ERROR_CODES by group (errors/codes.ts)
//   <!-- code:providers -->, <!-- code:routes -->               the built-in descriptors: keys, env, routes
//   <!-- test:budget name="…" -->                               a bundle budget of test/budgets.test.ts, inline
// Markers are looked for in docs/*.md and packages/*/README.md. `--check` changes nothing and exits 1 when
// a file is out of date (test/packaging/bench-docs.test.ts runs it); `--results=<file>` reads another
// results file (the test uses it to see that a changed figure is caught).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')
const resultsArg = process.argv.find((a) => a.startsWith('--results='))?.slice('--results='.length)
const results = JSON.parse(readFileSync(resultsArg ?? join(root, 'bench', 'results.json'), 'utf8'))
const rows = results.rows
const read = (path) => readFileSync(join(root, path), 'utf8')

// ——— helpers ———

/** A Markdown table padded the way the formatter (biome) lays it out, so that formatting changes nothing. */
function markdownTable(header, cells) {
  const escaped = cells.map((c) => c.map((x) => String(x ?? '').replaceAll('|', '\\|')))
  const widths = header.map((h, i) => Math.max(h.length, ...escaped.map((c) => c[i].length)))
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...escaped.map(line)]
}

/** The row called `name`; a missing one fails loudly (a renamed bench row must not leave a doc stale). */
function row(name) {
  const found = rows.find((r) => r.name === name)
  if (!found) throw new Error(`bench/results.json has no figure named "${name}" (run pnpm bench)`)
  return found
}
const maybeRow = (name) => rows.find((r) => r.name === name)
/** The first number in a text ("10020 ms whole blob" → 10020). */
const number = (text) => Number(/-?[\d.]+/.exec(text)?.[0])
/** What `pattern`'s first group matches in a row's note. */
function noted(r, pattern) {
  const match = pattern.exec(r.note ?? '')
  if (!match) throw new Error(`bench/results.json: the note of "${r.name}" has no ${pattern}`)
  return match[1]
}
const ms = (value) => `${Math.round(value).toLocaleString('en-US')} ms`
const times = (ratio) => `${ratio.toFixed(2)}×`

function measuredOn(groups) {
  const runs = groups.map((g) => [g, results.runs?.[g]]).filter(([, m]) => m)
  const machines = [...new Set(runs.map(([, m]) => `${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}`))]
  const dates = [...new Set(runs.map(([, m]) => m.date.slice(0, 10)))]
  return `${machines.join('; ')}, ${dates.join(' and ')}`
}

// ——— from bench/results.json ———

function table() {
  const runs = Object.entries(results.runs ?? {})
  const machines = [...new Set(runs.map(([, m]) => `${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}`))]
  const dates = runs.map(([group, m]) => `${group} ${m.date.slice(0, 10)}`).join(', ')
  const header = ['group', 'figure', 'voicekit', 'alternative', 'ratio', 'note']
  const cells = rows.map((r) => [r.group, r.name, r.ours, r.baseline, r.ratio === null ? '—' : times(r.ratio), r.note])
  return [`Measured on ${machines.join('; ')} (${dates}).`, '', ...markdownTable(header, cells)]
}

/** How long the runs behind results.json took: groups run together share one run (and one duration). */
function benchTime() {
  const byRun = new Map()
  for (const [group, m] of Object.entries(results.runs ?? {})) {
    const run = byRun.get(m.date) ?? { groups: [], seconds: m.seconds }
    run.groups.push(group)
    byRun.set(m.date, run)
  }
  const runs = [...byRun.values()]
  const total = runs.reduce((sum, r) => sum + r.seconds, 0)
  const parts = runs.map((r) => `${r.groups.join(' and ')} ${r.seconds} s`).join(', ')
  const missing = benchGroups()
    .split(' ')
    .filter((g) => !results.runs?.[g])
  const none = missing.length ? `; no figures there yet from ${missing.join(', ')}` : ''
  return `about ${Math.round(total / 60)} minutes for the groups in bench/results.json (${parts}${none})`
}

/** Playback: each browser and engine the bench measured, the player's figures beside the alternatives. */
function firstAudio() {
  const measured = rows
    .map((r) => /^(\S+) (\S+): first audio after the first byte, and underruns, (.+)$/.exec(r.name))
    .filter(Boolean)
  const header = [
    'browser, engine',
    'first audio after the first byte, underruns',
    'fresh page',
    'from the stream start (4×)',
    'minimal MSE loop (4×)',
    'whole blob',
    'played longer than its audio',
  ]
  const cells = measured.map(([name, browser, engine]) => {
    const r = row(name)
    const fresh = rows.find((x) => x.name.startsWith(`${browser} ${engine}: a fresh page's first utterance`))
    const start = row(`time to first audio, ${browser} ${engine}, 10 s utterance at 1× real time`)
    const start4 = maybeRow(`time to first audio, ${browser} ${engine}, 10 s utterance at 4× real time`)
    const loop = maybeRow(`player overhead over a minimal MediaSource loop, ${browser} ${engine}, 1×`)
    const loop4 = maybeRow(`player overhead over a minimal MediaSource loop, ${browser} ${engine}, 4×`)
    const withFast = (one, four) => `${ms(number(one))}${four ? ` (${number(four)})` : ''}`
    const short = (ours) => ours.replace(/ underruns?$/, '')
    return [
      `${browser} ${engine}`,
      short(r.ours),
      fresh ? short(fresh.ours) : '',
      withFast(start.ours, start4?.ours),
      loop ? withFast(loop.baseline, loop4?.baseline) : '—',
      ms(number(start.baseline)),
      `${noted(r, /played ([\d.]+ s) longer/)}`,
    ]
  })
  return [`Measured on ${measuredOn(['playback'])}.`, '', ...markdownTable(header, cells)]
}

/** The streamed reply: first audio while the text is written against after it, per browser. */
function streamed() {
  const measured = rows
    .map((r) => [r.name, /^(\S+): first audio after the first sentence's text is complete/.exec(r.name)?.[1]])
    .filter(([, browser]) => browser)
  if (!measured.length) throw new Error('bench/results.json has no streamed rows (run pnpm bench streamed)')
  const header = [
    'browser (engine)',
    "first audio after the first sentence's text is complete: stream / whole text",
    'ratio',
    "speech server's first byte, first piece",
    'underruns over the streamed reply',
    'text written in',
  ]
  let speech = ''
  const cells = measured.map(([name, browser]) => {
    const r = row(name)
    const underruns = row(`${browser}: underruns over the whole streamed reply (between its pieces)`)
    speech = noted(underruns, /^([\d.]+ s of speech in \d+ pieces)/)
    return [
      `${browser} (${noted(r, /^(\S+) engine/)})`,
      `${number(r.ours).toFixed(2)} s / ${number(r.baseline).toFixed(2)} s`,
      times(r.ratio),
      noted(r, /first piece ([\d.]+ s)/),
      String(number(underruns.ours)),
      noted(r, /text written in ([\d.]+ s)/),
    ]
  })
  return [`Measured on ${measuredOn(['streamed'])}; the reply is ${speech}.`, '', ...markdownTable(header, cells)]
}

/**
 * The proxy bench (bench/proxy.ts): every server it measured, one column each, the floor first; each cell
 * the figure, its ratio to the floor (first byte: the milliseconds over it) and the server's CPU.
 */
function proxy() {
  const found = rows.filter((r) => r.group === 'proxy')
  if (!found.length) throw new Error('bench/results.json has no proxy rows (run pnpm bench proxy)')
  const servers = []
  const figures = []
  const byCell = new Map()
  for (const r of found) {
    const at = r.name.indexOf(': ')
    const [server, figure] = [r.name.slice(0, at), r.name.slice(at + 2)]
    if (!servers.includes(server)) servers.push(server)
    if (!figures.includes(figure)) figures.push(figure)
    byCell.set(`${server}\n${figure}`, r)
  }
  const cell = (r, floor) => {
    if (!r) return '—'
    if (/memory/.test(r.name)) return `${r.ours}, ${noted(r, /^(flat|GROWS)/)}`
    const over = /^([+-][\d.]+ ms) over the/.exec(r.note ?? '')?.[1]
    const ratio = floor ? '' : ` (${over ?? times(r.ratio)})`
    const cpu = /proxy CPU ([\d.]+ ms) per/.exec(r.note ?? '')?.[1]
    return `${r.ours}${ratio}${cpu && !r.ours.includes(`${cpu} CPU`) ? `, ${cpu} CPU` : ''}`
  }
  const cells = figures.map((figure) => [
    figure,
    ...servers.map((server, i) => cell(byCell.get(`${server}\n${figure}`), i === 0)),
  ])
  const load = noted(found[0], /(load average [^;]+)$/)
  return [`Measured on ${measuredOn(['proxy'])}, ${load}.`, '', ...markdownTable(['figure', ...servers], cells)]
}

/** Dictation: each length's stop → whole text, first words, recall and peak memory; then the soak. */
function dictation() {
  const lengths = rows
    .map((r) => [r, /^stop → whole text, ([\d.]+) min of speech/.exec(r.name)?.[1]])
    .filter(([r, m]) => r.group === 'dictation' && m)
  if (!lengths.length) throw new Error('bench/results.json has no dictation rows (run pnpm bench dictation)')
  const all = (r, pattern) => {
    const match = pattern.exec(r.note ?? '')
    if (!match) throw new Error(`bench/results.json: the note of "${r.name}" has no ${pattern}`)
    return match.slice(1)
  }
  const header = [
    'speech',
    'fed',
    'stop → whole text: continuous / single file',
    'ratio',
    'first words after the start',
    'recall in order: continuous / single file',
    'JS heap: peak / live after gc, at most (before → after)',
    'segments recognised live / from the memo',
  ]
  const cells = lengths.map(([r, m]) => {
    const [continuous, single] = all(r, /recall ([\d.]+) continuous, ([\d.]+|—) single file \(in order, (\d+) words\)/)
    const [peak, before, after] = all(r, /peak JS heap ([\d.]+) MiB \(([\d.]+) before, ([\d.]+) after gc\)/)
    return [
      `${m} min`,
      noted(r, /^(real time|accelerated [\d.]+×)/),
      `${number(r.ours).toFixed(2)} s (${noted({ ...r, note: r.ours }, /\((\d+ segments)\)/)}, ${noted(r, /(\d+) pending at stop/)} waiting at stop) / ${r.ratio === null ? '—' : `${number(r.baseline).toFixed(2)} s`}`,
      r.ratio === null ? '—' : times(r.ratio),
      `${noted(r, /first words ([\d.]+ s)/)}`,
      `${continuous} / ${single} of ${all(r, /in order, (\d+) words/)[0]} words`,
      `${peak} / ${/live after gc at most ([\d.]+) MiB/.exec(r.note)?.[1] ?? '—'} MiB (${before} → ${after})`,
      all(r, /(\d+) segments recognised live, (\d+) from the memo/).join(' / '),
    ]
  })
  const load = noted(lengths[0][0], /load average ([\d.]+)/)
  const lines = [
    '`pnpm bench dictation`: continuous dictation of the long fixture (twenty sentences, 70 s, looped to the',
    'length) in headless Chromium, through the proxy to the local speech server (pocketsphinx), against the',
    'single-file upload of the same audio. Stop → whole text is the wait, after stop, for what is not',
    'transcribed yet; recall is of the words spoken, in order (as the browser tests measure it); the JS heap',
    "includes array buffers (CDP's `Runtime.getHeapUsage`): its peak sampled every 250 ms, what is live right",
    'after a forced collection every 10 s. Real-time rows feed the audio at its own pace; accelerated rows',
    'feed it as fast as the server keeps up (never more than two segments waiting), and after the first',
    'words, until stop, a segment whose bytes pocketsphinx already recognised is answered with its answer',
    'again (the loop repeats the same cuts): the first words and what stop waits for are always',
    'recognised live.',
    `Measured on ${measuredOn(['dictation'])}: one run, on a shared machine busy with a CI run`,
    `(load average ${load} at the end of the first row), so the times are this machine's, not the library's.`,
    '',
    ...markdownTable(header, cells),
  ]
  const soak = rows.find((r) => r.group === 'dictation' && r.name.startsWith('soak: '))
  if (soak) {
    const minutes = /^soak: ([\d.]+) min/.exec(soak.name)?.[1]
    lines.push(
      '',
      ...markdownTable(
        [
          'soak',
          'fed',
          'peak JS heap',
          'against',
          'ratio',
          'live after gc, at most',
          'recall in order',
          'segments',
          'after gc at the end',
          'wall time',
        ],
        [
          [
            `${minutes} min`,
            noted(soak, /^(real time|accelerated [\d.]+×)/),
            soak.ours,
            soak.baseline,
            soak.ratio === null ? '—' : times(soak.ratio),
            /live after gc at most ([\d.]+ MiB \([\d.]+ MiB at [\d.]+ min\))/.exec(soak.note)?.[1] ?? '—',
            `${noted(soak, /recall ([\d.]+)/)} of ${noted(soak, /in order, (\d+) words/)} words`,
            noted(soak, /(\d+ segments, \d+ failed)/),
            noted(soak, /([\d.]+ MiB) after gc at the end/),
            noted(soak, /(\d+ s) wall/),
          ],
        ],
      ),
      '',
      `The soak's segments: ${noted(soak, /(\d+ segments recognised live, \d+ from the memo)/)}.`,
    )
  }
  return lines
}

// ——— from the code ———

/** The groups `pnpm bench` knows (the `Group` type of bench/run.ts). */
function benchGroups() {
  const union = /type Group = ([^\n]+)/.exec(read('bench/run.ts'))?.[1]
  if (!union) throw new Error('bench/run.ts: no `type Group = …` line')
  return [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).join(' ')
}

/** VOICE_ERROR_CODES in the groups its source file comments them in. */
async function errorCodes() {
  const { VOICE_ERROR_CODES } = await core()
  const groups = []
  for (const line of read('packages/core/src/errors/codes.ts').split('\n')) {
    const heading = /^\s*\/\/ (\w[\w ]*)$/.exec(line)
    const code = /^\s*'([a-z_]+)',/.exec(line)
    if (heading) groups.push([heading[1], []])
    else if (code) groups.at(-1)?.[1].push(code[1])
  }
  const listed = groups.flatMap(([, codes]) => codes)
  if (listed.join() !== VOICE_ERROR_CODES.join())
    throw new Error('errors/codes.ts: every code must sit under a `// group` comment, in order')
  return markdownTable(
    ['group', 'codes'],
    groups.map(([group, codes]) => [group, codes.map((c) => `\`${c}\``).join(', ')]),
  )
}

let coreServer
/** `@voicekit/core/server` from the sources: what the proxy itself reads (descriptors, error codes). */
const core = () => {
  coreServer ??= tsImport(join(root, 'packages/core/src/server.ts'), import.meta.url)
  return coreServer
}

const route = (d, e) => `${d.id}${e.path}`

/** The built-in providers as the proxy serves them: how the key is sent, from which env variables, where. */
async function providers() {
  const { providerDescriptors } = await core()
  const cells = Object.values(providerDescriptors).map((d) => [
    d.name,
    `\`${d.auth.header}: ${d.auth.prefix ?? ''}<key>\``,
    d.env
      ? [d.env.apiKey, d.env.baseUrl]
          .filter(Boolean)
          .map((v) => `\`${v}\``)
          .join(', ')
      : '',
    d.endpoints.map((e) => `\`{basePath}/${route(d, e)}\` (${e.operation})`).join(', '),
  ])
  return markdownTable(['provider', 'key sent as', 'env variables (by convention)', 'routes'], cells)
}

async function routes() {
  const { providerDescriptors } = await core()
  return Object.values(providerDescriptors)
    .flatMap((d) => d.endpoints.map((e) => `\`${route(d, e)}\``))
    .join(', ')
}

/** A budget of test/budgets.test.ts: the `it('<name> ≤ N kB …')` title, checked against its assertion. */
function budget(name) {
  const source = read('test/budgets.test.ts')
  const blocks = source.split(/\n\s*it\(/).slice(1)
  const block = blocks.find((b) => b.startsWith(`'${name} ≤`))
  if (!block) throw new Error(`test/budgets.test.ts has no test "${name} ≤ … kB"`)
  const titled = Number(/^'[^']* ≤ (\d+) kB/.exec(block)?.[1])
  const asserted = Number(/toBeLessThanOrEqual\((\d+) \* kB\)/.exec(block)?.[1])
  if (titled !== asserted) throw new Error(`test/budgets.test.ts: "${name}" says ${titled} kB, asserts ${asserted} kB`)
  return `≤ ${titled} kB (${(titled * 1024).toLocaleString('en-US')} B)`
}

/** The demo's canned assistant reply, which `pnpm bench streamed` streams: its length in characters and tokens. */
async function assistantReply() {
  const reply = await tsImport(join(root, 'apps/demo/dev/assistant-reply.ts'), import.meta.url)
  return `${reply.ASSISTANT_REPLY.length} characters, ${reply.replyTokens().length} tokens`
}

/** Real-time dictation (bench/realtime.ts): word → screen and end of speech → final against segment mode, and the relay. */
function realtime() {
  const found = rows.filter((r) => r.group === 'realtime')
  if (!found.length) throw new Error('bench/results.json has no realtime rows (run pnpm bench dictation)')
  const header = ['figure', 'voicekit', 'alternative', 'ratio', 'note']
  const cells = found.map((r) => [r.name, r.ours, r.baseline, r.ratio === null ? '—' : times(r.ratio), r.note ?? ''])
  return [
    `Measured on ${measuredOn(['realtime'])} (\`pnpm bench dictation\`; \`DICTATION_REALTIME_ONLY=1\` runs these alone).`,
    '',
    ...markdownTable(header, cells),
  ]
}

// ——— the markers ———

const GENERATORS = {
  'bench:table': table,
  'bench:figure': ({ name }) => row(name).ours,
  'bench:time': benchTime,
  'bench:first-audio': firstAudio,
  'bench:streamed': streamed,
  'bench:proxy': proxy,
  'bench:dictation': dictation,
  'bench:realtime': realtime,
  'code:assistant-reply': assistantReply,
  'code:bench-groups': benchGroups,
  'code:error-codes': errorCodes,
  'code:providers': providers,
  'code:routes': routes,
  'test:budget': ({ name }) => budget(name),
}

const MARKER = /<!-- ((?:bench|code|test):[a-z-]+)((?: [a-z]+="[^"]*")*) -->([\s\S]*?)<!-- \/\1 -->/g

async function render(text) {
  const found = [...text.matchAll(MARKER)]
  let out = ''
  let at = 0
  for (const match of found) {
    const [whole, kind, attributes] = match
    const generate = GENERATORS[kind]
    if (!generate) throw new Error(`unknown marker <!-- ${kind} -->`)
    const options = Object.fromEntries([...attributes.matchAll(/ ([a-z]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    const value = await generate(options)
    // A list of lines is a block (on lines of its own between the markers); a string stays inline.
    const body = Array.isArray(value) ? `\n${value.join('\n')}\n` : value
    out += `${text.slice(at, match.index)}<!-- ${kind}${attributes} -->${body}<!-- /${kind} -->`
    at = match.index + whole.length
  }
  return out + text.slice(at)
}

const files = [
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f)),
  ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'README.md')),
].filter((path) => {
  try {
    readFileSync(path)
    return true
  } catch {
    return false
  }
})

let stale = 0
for (const path of files) {
  const before = readFileSync(path, 'utf8')
  const after = await render(before)
  if (after === before) continue
  stale++
  const name = relative(root, path)
  if (check) console.error(`${name} is out of date: run pnpm bench:docs`)
  else {
    writeFileSync(path, after)
    console.log(`${name} updated`)
  }
}
if (check && stale) process.exit(1)
