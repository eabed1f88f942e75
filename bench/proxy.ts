// `pnpm bench proxy`: voicekit's proxy beside the floor of a Node forwarder and the proxies a Node user
// would pick for the same job, on loopback, to one fake Dify upstream (in a process of its own). Each
// server runs in a process of its own (bench/proxy-child.ts; the servers are in bench/proxy-servers.ts):
//   bare      the floor: the fastest plain node:http forwarder (bench/proxy-floor.ts says which and why)
//   node      voicekit's Node path (toNodeListener)          fetch    voicekit's Fetch path (io: 'fetch')
//   hpm       http-proxy-middleware on node:http             fastify  @fastify/reply-from (undici)
//   hono      hono/proxy on @hono/node-server
// and `direct`, the client straight to the upstream. The client is the same for all: this process's
// fetch, one keep-alive pool. voicekit runs compiled as it is published (compileProxy below).
//
// Every figure is measured in rounds: each round measures every server once for each figure, in an
// order rotated every round, so that a noisy neighbour hits all alike; the rounds are shared out over
// EPOCHS sets of fresh processes; the figures are medians over all rounds. Beside wall times the bench
// reports each server process's own CPU time per operation: on a shared machine wall times follow the
// neighbours, the CPU a process spends on the same work much less. Ratios are against the floor,
// measured in the same run. Memory is sampled in runs of its own, in the last set of processes.
//
// PROXY_BENCH_SCALE=2 doubles rounds and epochs (PROXY_BENCH_ROUNDS, PROXY_BENCH_EPOCHS set them);
// PROXY_BENCH_SERVERS=floor:pipe,floor:pipeline,... measures other servers (the first is then the floor
// of the ratios unless `bare` is among them: that is how the floor was chosen, see bench/proxy-floor.ts;
// `node#2` is a second process of the same server); PROXY_BENCH_MEMORY_RUNS=0 skips the memory runs;
// PROXY_BENCH_NODE_FLAGS sets the servers' V8 flags; PROXY_BENCH_GC=1 prints each server's collections.
// Everything bounded: a few GiB moved in total, one transfer at a time (200 small ones at once).
import { execSync, fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { compiledAt, ROLES, type Role } from './proxy-servers.ts'
import { median, type Row } from './stats.ts'

const MiB = 1024 * 1024
const TRANSFER_BYTES = 30 * MiB
const SCALE = Math.max(1, Number(process.env.PROXY_BENCH_SCALE ?? 1))
const ROUNDS = Number(process.env.PROXY_BENCH_ROUNDS ?? 16 * SCALE)
/**
 * The rounds are shared out over this many sets of fresh processes (upstream and servers). Two
 * processes running the same code differ by up to 20 % in CPU per upload and in the wall time of 200
 * streams for a whole run (two floors side by side: 30 and 36 ms per upload, 396 and 467 ms): each
 * process is a draw, so every server is drawn EPOCHS times.
 */
const EPOCHS = Math.max(1, Math.min(ROUNDS, Number(process.env.PROXY_BENCH_EPOCHS ?? 4 * SCALE)))
/** Short requests per server per round: their first bytes are the samples, their CPU is shared out. */
const FIRST_BYTE_BLOCK = 10
const CONCURRENT = 200
const CONCURRENT_BYTES = 256 * 1024
/** Memory runs (30 and 120 MiB each way) per server; the larger growth of the two is reported. */
const MEMORY_RUNS = Number(process.env.PROXY_BENCH_MEMORY_RUNS ?? 2)
/**
 * Memory counts as flat from 30 to 120 MiB when the median of the samples grew by less than FLAT and
 * the peak by less than FLAT_PEAK. A server that held the body would grow by about 90 MiB; single samples
 * of every server, the floor's included, catch 4 MiB array buffers in flight (up to 12 MiB of them).
 */
const FLAT = 8 * MiB
const FLAT_PEAK = 24 * MiB

/**
 * V8 flags of every server process, the same for all (PROXY_BENCH_NODE_FLAGS replaces them; '' for
 * Node's defaults). Incremental marking is off. With it, some processes fall into running a mark-compact
 * every 100-300 ms of streaming (V8 starts marking whenever the old generation's headroom is smaller
 * than the young generation, which a small heap's always is once it has been collected) and others
 * never do, by chance: two identical forwarders in one run measured 51 and 122 ms of CPU per 30 MiB,
 * the difference all mark-compacts. Without it a mark-compact runs when a process's own old generation
 * is full, which each server's notes count (a few in a run).
 */
const NODE_FLAGS = (process.env.PROXY_BENCH_NODE_FLAGS ?? '--no-incremental-marking').split(' ').filter(Boolean)
const SERVERS: Role[] = process.env.PROXY_BENCH_SERVERS
  ? (process.env.PROXY_BENCH_SERVERS.split(',').filter(Boolean) as Role[])
  : [...ROLES]
const FLOOR_ROLE: Role = SERVERS.includes('bare') ? 'bare' : (SERVERS[0] as Role)

/**
 * @voicekit/proxy compiled as it is published (the library build, into node_modules/.cache, not dist),
 * so that the servers run the code in this tree as a deployment would; its path goes to the servers.
 */
async function compileProxy(rev?: string): Promise<string> {
  const { build } = await import('vite')
  const { libraryConfig } = await import('../scripts/library-config.ts')
  const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url))
  let dir = fileURLToPath(new URL('../packages/proxy', import.meta.url))
  if (rev) {
    // That revision's packages/proxy, as git has it, built the same way.
    const tree = `${cache}voicekit-proxy-bench-tree-${rev.replace(/[^A-Za-z0-9]/g, '_')}`
    rmSync(tree, { recursive: true, force: true })
    mkdirSync(tree, { recursive: true })
    execSync(`git archive --format=tar ${rev} packages/proxy | tar -x -C ${tree}`, { stdio: 'inherit' })
    dir = `${tree}/packages/proxy`
  }
  const config = libraryConfig(dir)
  const outDir = `${cache}voicekit-proxy-bench${rev ? `-${rev.replace(/[^A-Za-z0-9]/g, '_')}` : ''}`
  await build({ ...config, configFile: false, build: { ...config.build, outDir, emptyOutDir: true } })
  return `${outDir}/index.js`
}

const LABELS: Record<string, string> = {
  bare: 'floor (plain node:http forwarder)',
  node: 'voicekit Node path',
  fetch: 'voicekit Fetch path',
  'node@source': 'voicekit Node path, from the sources (tsx)',
  'fetch@source': 'voicekit Fetch path, from the sources (tsx)',
  hpm: 'http-proxy-middleware (node:http)',
  fastify: '@fastify/reply-from (fastify, undici)',
  hono: 'hono/proxy (@hono/node-server)',
}
const label = (role: Role) => {
  const [base, replica] = role.split('#') as [string, string | undefined]
  const rev = /^(node|fetch)@(.+)$/.exec(base)
  const name = LABELS[base] ?? (rev ? `${LABELS[rev[1] as string]} at ${rev[2]}` : base)
  return `${name}${replica ? ` #${replica}` : ''}`
}

interface Memory {
  /** Median and peak of the samples. */
  median: number
  peak: number
  rss: number
}

interface Child {
  port: number
  /** The child's CPU time so far (user + system, every thread), in ms, and its mark-compacts so far. */
  cpuMs(): Promise<{ ms: number; markCompacts: number }>
  /** Live memory (heap + external, after a GC every 25 ms) while `during` runs, above the level before it. */
  memory(during: () => Promise<unknown>): Promise<Memory>
  close(): Promise<void>
}

async function startChild(role: 'upstream' | Role, upstream?: string): Promise<Child> {
  const child = fork(
    fileURLToPath(new URL('./proxy-child.ts', import.meta.url)),
    upstream ? [role, upstream] : [role],
    {
      execArgv: ['--import', 'tsx', '--conditions', '@voicekit/source', '--expose-gc', ...NODE_FLAGS],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  const [ready] = (await once(child, 'message')) as [{ ports: Record<string, number> }]
  return {
    port: Object.values(ready.ports)[0] as number,
    async cpuMs() {
      const answer = once(child, 'message')
      child.send({ type: 'cpu' })
      const [m] = (await answer) as [{ micros: number; markCompacts: number }]
      return { ms: m.micros / 1000, markCompacts: m.markCompacts }
    },
    async memory(during) {
      child.send({ type: 'sample-start', everyMs: 25 })
      await during()
      const samples = once(child, 'message')
      child.send({ type: 'sample-stop' })
      const [m] = (await samples) as [
        { baseRss: number; peakRss: number; baseLive: number; medianLive: number; peakLive: number },
      ]
      return { median: m.medianLive - m.baseLive, peak: m.peakLive - m.baseLive, rss: m.peakRss - m.baseRss }
    },
    async close() {
      child.send({ type: 'exit' })
      await once(child, 'exit')
    },
  }
}

/** Uploads `bytes` as a multipart file; resolves with the ms until the transcript arrived. */
async function upload(base: string, bytes = TRANSFER_BYTES): Promise<number> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), 'recording.wav')
  const t0 = performance.now()
  const response = await fetch(`${base}/audio-to-text`, { method: 'POST', body: form }).catch((error: Error) => {
    throw new Error(`upload to ${base} failed: ${error.message} (${String((error.cause as Error)?.message)})`)
  })
  const text = await response.text()
  const body = (response.ok ? JSON.parse(text) : {}) as { text?: string }
  if (!response.ok || !body.text?.startsWith('received ')) throw new Error(`upload failed: ${response.status} ${text}`)
  return performance.now() - t0
}

/** Text to audio streaming `bytes`: ms to the first audio byte, and ms to the end. */
async function speak(base: string, bytes: number): Promise<{ firstMs: number; totalMs: number }> {
  const t0 = performance.now()
  const response = await fetch(`${base}/text-to-audio`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'bench', bytes }),
  })
  if (!response.ok || !response.body) throw new Error(`speak via ${base} failed: ${response.status}`)
  let firstMs = 0
  let got = 0
  for await (const chunk of response.body) {
    if (!firstMs) firstMs = performance.now() - t0
    got += (chunk as Uint8Array).byteLength
  }
  if (got !== bytes) throw new Error(`speak via ${base} got ${got} of ${bytes} bytes`)
  return { firstMs, totalMs: performance.now() - t0 }
}

async function concurrent(base: string): Promise<{ wallMs: number; p95FirstMs: number }> {
  const t0 = performance.now()
  const runs = await Promise.all(Array.from({ length: CONCURRENT }, () => speak(base, CONCURRENT_BYTES)))
  return {
    wallMs: performance.now() - t0,
    p95FirstMs: percentile(
      runs.map((r) => r.firstMs),
      0.95,
    ),
  }
}

/** What one server (or direct) measured, sample by sample. */
interface Samples {
  firstMs: number[]
  /** CPU per short request, one value per block. */
  firstCpu: number[]
  downloadMs: number[]
  downloadCpu: number[]
  uploadMs: number[]
  uploadCpu: number[]
  concurrentMs: number[]
  concurrentCpu: number[]
  concurrentP95: number[]
  /** Each memory run: the 30 MiB transfer's, then the 120 MiB transfer's. */
  memory: { download: [Memory, Memory][]; upload: [Memory, Memory][] }
  markCompacts: Record<Kind, number[]>
}
type Kind = 'first' | 'download' | 'upload' | 'concurrent'
const emptySamples = (): Samples => ({
  firstMs: [],
  firstCpu: [],
  downloadMs: [],
  downloadCpu: [],
  uploadMs: [],
  uploadCpu: [],
  concurrentMs: [],
  concurrentCpu: [],
  concurrentP95: [],
  memory: { download: [], upload: [] },
  markCompacts: { first: [], download: [], upload: [], concurrent: [] },
})

export async function proxyBench(log: (line: string) => void): Promise<Row[]> {
  const loads = [loadavg()[0] as number]
  process.env[compiledAt()] = await compileProxy()
  for (const rev of new Set(SERVERS.map((role) => /^(?:node|fetch)@(.+?)(?:#\d+)?$/.exec(role)?.[1]))) {
    // A build given in the environment (PROXY_BENCH_COMPILED_<rev>) is taken as it is: an experiment.
    if (rev && rev !== 'source' && !process.env[compiledAt(rev)]) process.env[compiledAt(rev)] = await compileProxy(rev)
  }
  const names: (Role | 'direct')[] = ['direct', ...SERVERS]
  const samples = new Map(names.map((name) => [name, emptySamples()]))
  const of = (name: Role | 'direct') => samples.get(name) as Samples
  let round = 0
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const upstreamChild = await startChild('upstream')
    const upstream = `http://127.0.0.1:${upstreamChild.port}/v1`
    const children = new Map<Role, Child>()
    try {
      for (const role of SERVERS) children.set(role, await startChild(role, upstream))
      const base = (name: Role | 'direct') =>
        name === 'direct' ? upstream : `http://127.0.0.1:${children.get(name)?.port}/api/voice/dify`

      /** `measure` against `name`, with the server process's CPU time it took (0 for direct). */
      const timed = async <T>(name: Role | 'direct', kind: Kind, measure: () => Promise<T>): Promise<[T, number]> => {
        const child = name === 'direct' ? undefined : children.get(name)
        const before = await child?.cpuMs()
        const result = await measure()
        const after = await child?.cpuMs()
        if (before && after) of(name).markCompacts[kind].push(after.markCompacts - before.markCompacts)
        return [result, before && after ? after.ms - before.ms : 0]
      }

      log(`proxy: epoch ${epoch + 1} of ${EPOCHS}: new processes, warming ${names.join(', ')}`)
      for (const name of names) {
        for (let i = 0; i < 20; i++) await speak(base(name), 4096)
        await speak(base(name), TRANSFER_BYTES)
        await upload(base(name))
        await concurrent(base(name))
      }

      const last = Math.round(((epoch + 1) * ROUNDS) / EPOCHS)
      for (; round < last; round++) {
        loads.push(loadavg()[0] as number)
        log(`proxy: round ${round + 1} of ${ROUNDS} (load average ${loads.at(-1)?.toFixed(1)})`)
        const order = names.map((_, i) => names[(round + i) % names.length] as Role | 'direct')
        for (const name of order) {
          const [firsts, cpu] = await timed(name, 'first', async () => {
            const firsts: number[] = []
            for (let i = 0; i < FIRST_BYTE_BLOCK; i++) firsts.push((await speak(base(name), 4096)).firstMs)
            return firsts
          })
          of(name).firstMs.push(...firsts)
          of(name).firstCpu.push(cpu / FIRST_BYTE_BLOCK)
        }
        for (const name of order) {
          const [result, cpu] = await timed(name, 'download', () => speak(base(name), TRANSFER_BYTES))
          of(name).downloadMs.push(result.totalMs)
          of(name).downloadCpu.push(cpu)
        }
        for (const name of order) {
          const [ms, cpu] = await timed(name, 'upload', () => upload(base(name)))
          of(name).uploadMs.push(ms)
          of(name).uploadCpu.push(cpu)
        }
        for (const name of order) {
          const [result, cpu] = await timed(name, 'concurrent', () => concurrent(base(name)))
          of(name).concurrentMs.push(result.wallMs)
          of(name).concurrentCpu.push(cpu)
          of(name).concurrentP95.push(result.p95FirstMs)
        }
      }

      // Memory in runs of their own, in the last epoch: sampling forces a GC every 25 ms in the server,
      // which would be timed too.
      if (epoch === EPOCHS - 1 && MEMORY_RUNS > 0) {
        log('proxy: memory while streaming, 30 and 120 MiB each way')
        for (let run = 0; run < MEMORY_RUNS; run++) {
          for (const role of SERVERS) {
            const child = children.get(role) as Child
            for (const [what, transfer] of [
              ['download', (bytes: number) => speak(base(role), bytes)],
              ['upload', (bytes: number) => upload(base(role), bytes)],
            ] as const) {
              const small = await child.memory(() => transfer(TRANSFER_BYTES))
              const large = await child.memory(() => transfer(4 * TRANSFER_BYTES))
              of(role).memory[what].push([small, large])
            }
          }
        }
      }
    } finally {
      for (const child of children.values()) await child.close()
      await upstreamChild.close()
    }
  }
  for (const role of SERVERS) {
    const counts = Object.entries(of(role).markCompacts).map(([kind, mc]) => `${kind} ${mc.join(' ')}`)
    log(`proxy: ${role}: mark-compacts per operation: ${counts.join('; ')}`)
  }
  loads.push(loadavg()[0] as number)
  if (process.env.PROXY_BENCH_DUMP) {
    const { writeFileSync } = await import('node:fs')
    writeFileSync(process.env.PROXY_BENCH_DUMP, JSON.stringify(Object.fromEntries(samples)))
  }
  return rowsOf(of, loads, MEMORY_RUNS > 0)
}

const ms = (value: number, digits = 0) => `${value.toFixed(digits)} ms`
/** How many of the server's timed operations ran a mark-compact (see NODE_FLAGS). */
const markCompacts = (s: Samples) => {
  const all = Object.values(s.markCompacts).flat()
  return `mark-compacts in ${all.filter((n) => n > 0).length} of its ${all.length} timed operations`
}
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`

function rowsOf(of: (name: Role | 'direct') => Samples, loads: number[], withMemory: boolean): Row[] {
  const rows: Row[] = []
  const load = `load average ${median(loads).toFixed(1)} (${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)})`
  const floor = of(FLOOR_ROLE)
  const direct = of('direct')
  const floorName = FLOOR_ROLE === 'bare' ? 'floor' : FLOOR_ROLE
  const first = FIRST_BYTE_BLOCK * ROUNDS
  for (const role of SERVERS) {
    const s = of(role)
    const name = (figure: string) => `${label(role)}: ${figure}`
    const firstMs = median(s.firstMs)
    rows.push({
      group: 'proxy',
      name: name(`TTS first byte (p50 of ${first})`),
      ours: ms(firstMs, 2),
      baseline: `${ms(median(floor.firstMs), 2)} ${floorName}`,
      ratio: firstMs / median(floor.firstMs),
      note: `${signed(firstMs - median(floor.firstMs))} ms over the ${floorName}, ${signed(firstMs - median(direct.firstMs))} ms over direct (${ms(median(direct.firstMs), 2)}); proxy CPU ${ms(median(s.firstCpu), 2)} per request (${floorName} ${ms(median(floor.firstCpu), 2)}); ${load}`,
    })
    for (const [what, wall, cpu, directWall] of [
      ['30 MiB TTS stream (download)', s.downloadMs, s.downloadCpu, direct.downloadMs],
      ['30 MiB upload', s.uploadMs, s.uploadCpu, direct.uploadMs],
    ] as const) {
      const floorCpu = what.includes('upload') ? floor.uploadCpu : floor.downloadCpu
      const floorWall = what.includes('upload') ? floor.uploadMs : floor.downloadMs
      rows.push({
        group: 'proxy',
        name: name(`${what}, CPU per transfer (median of ${ROUNDS})`),
        ours: `${ms(median(cpu))} CPU`,
        baseline: `${ms(median(floorCpu))} ${floorName}`,
        ratio: median(cpu) / median(floorCpu),
        note: `proxy CPU ${ms(median(cpu))} per transfer; wall ${ms(median(wall))} (${floorName} ${ms(median(floorWall))}, direct ${ms(median(directWall))}); ${markCompacts(s)}; ${load}`,
      })
    }
    rows.push({
      group: 'proxy',
      name: name(`${CONCURRENT} concurrent 256 KiB TTS streams, wall time (median of ${ROUNDS})`),
      ours: ms(median(s.concurrentMs)),
      baseline: `${ms(median(floor.concurrentMs))} ${floorName}`,
      ratio: median(s.concurrentMs) / median(floor.concurrentMs),
      note: `proxy CPU ${ms(median(s.concurrentCpu))} per run (${floorName} ${ms(median(floor.concurrentCpu))}); direct ${ms(median(direct.concurrentMs))}; first byte p95 ${ms(median(s.concurrentP95))} (direct ${ms(median(direct.concurrentP95))}); ${load}`,
    })
    for (const what of withMemory ? (['download', 'upload'] as const) : []) {
      // The run that grew most (against the thresholds), with its figures.
      const runs = s.memory[what]
      const growth = ([small, large]: [Memory, Memory]) =>
        Math.max((large.median - small.median) / FLAT, (large.peak - small.peak) / FLAT_PEAK)
      const [small, large] = runs.reduce((a, b) => (growth(b) > growth(a) ? b : a))
      const grew = large.median - small.median
      const peakGrew = large.peak - small.peak
      rows.push({
        group: 'proxy',
        name: name(
          `live memory, ${what === 'download' ? 'TTS stream' : 'upload'} 30 → 120 MiB (median while streaming)`,
        ),
        ours: `${(small.median / MiB).toFixed(1)} → ${mib(large.median)} (peak ${(small.peak / MiB).toFixed(1)} → ${mib(large.peak)})`,
        baseline: '4× the bytes',
        ratio: null,
        note: `${grew < FLAT && peakGrew < FLAT_PEAK ? 'flat' : 'GROWS'} (median ${signed(grew / MiB)} MiB, peak ${signed(peakGrew / MiB)} MiB: the run of ${runs.length} that grew most); peak RSS +${mib(small.rss)} → +${mib(large.rss)}; heap + external above the lowest level, sampled after a GC every 25 ms`,
      })
    }
  }
  return rows
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}
