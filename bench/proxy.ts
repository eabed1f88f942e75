// Proxy vs direct on loopback: the same fake Dify upstream (in a process of its own), reached directly
// and through @voicekit/proxy on both of its paths on Node, each in a process of its own: `node`
// (toNodeListener forwarding between Node's own sockets) and `fetch` (the Fetch handler's path, as on
// Workers and Next.js). The client is the same for all: this process's fetch, one keep-alive pool.
// A reference forwarder without policy (`bare`) runs beside them. Runs are interleaved (direct, node,
// fetch, bare, direct, ...) so that a noisy neighbour hits all alike.
// Everything bounded: a few hundred MiB moved in total.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { median, type Row } from './stats.ts'

const MiB = 1024 * 1024
const UPLOAD_BYTES = 30 * MiB
/** Repeats, each a round over direct and both paths; raise them on a quiet machine (PROXY_BENCH_SCALE=2). */
const SCALE = Math.max(1, Number(process.env.PROXY_BENCH_SCALE ?? 1))
const FIRST_BYTE_RUNS = 60 * SCALE
const TRANSFER_RUNS = 5 * SCALE
const CONCURRENT_RUNS = 3 * SCALE
type Path = 'node' | 'fetch' | 'bare'
const PATHS: Path[] = ['node', 'fetch', 'bare']
/** The proxy's own paths; `bare` is a reference forwarder without policy (see proxy-child.ts). */
const PROXY_PATHS = ['node', 'fetch'] as const

interface Child {
  ports: Record<string, number>
  /** The child's CPU time so far (user + system), in ms. */
  cpuMs(): Promise<number>
  memory<T>(during: () => Promise<T>): Promise<{ result: T; rssDelta: number; heapDelta: number; bufferDelta: number }>
  close(): Promise<void>
}

/** proxy-child.ts in `role`: the fake upstream, or the proxy on one path in front of `upstream`. */
async function startChild(role: 'upstream' | Path, upstream?: string): Promise<Child> {
  const child = fork(
    fileURLToPath(new URL('./proxy-child.ts', import.meta.url)),
    upstream ? [role, upstream] : [role],
    {
      execArgv: ['--import', 'tsx', '--conditions', '@voicekit/source', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  const [ready] = (await once(child, 'message')) as [{ ports: Record<string, number> }]
  return {
    ports: ready.ports,
    async cpuMs() {
      const answer = once(child, 'message')
      child.send({ type: 'cpu' })
      const [m] = (await answer) as [{ micros: number }]
      return m.micros / 1000
    },
    async memory(during) {
      child.send({ type: 'sample-start', everyMs: 25 })
      const result = await during()
      const samples = once(child, 'message')
      child.send({ type: 'sample-stop' })
      const [m] = (await samples) as [
        { baseRss: number; peakRss: number; baseHeap: number; peakHeap: number; peakArrayBuffers: number },
      ]
      return {
        result,
        rssDelta: m.peakRss - m.baseRss,
        heapDelta: m.peakHeap - m.baseHeap,
        bufferDelta: m.peakArrayBuffers,
      }
    },
    async close() {
      child.send({ type: 'exit' })
      await once(child, 'exit')
    },
  }
}

const uploadForm = (bytes: number) => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), 'recording.wav')
  return form
}

/** Uploads `bytes` (30 MiB); resolves with the seconds until the transcript arrived. */
async function upload(base: string, bytes = UPLOAD_BYTES): Promise<number> {
  const form = uploadForm(bytes)
  const t0 = performance.now()
  const response = await fetch(`${base}/audio-to-text`, { method: 'POST', body: form }).catch((error: Error) => {
    throw new Error(`upload to ${base} failed: ${error.message} (${String((error.cause as Error)?.message)})`)
  })
  const text = await response.text()
  const body = (response.ok ? JSON.parse(text) : {}) as { text?: string }
  if (!response.ok || !body.text?.startsWith('received ')) throw new Error(`upload failed: ${response.status} ${text}`)
  return (performance.now() - t0) / 1000
}

/** Text to audio streaming `bytes`: ms to the first audio byte, and seconds to the end. */
async function speak(base: string, bytes: number): Promise<{ firstMs: number; totalS: number; bytes: number }> {
  const t0 = performance.now()
  const response = await fetch(`${base}/text-to-audio`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'bench', bytes }),
  })
  if (!response.ok || !response.body) throw new Error(`speak failed: ${response.status}`)
  let firstMs = 0
  let got = 0
  for await (const chunk of response.body) {
    if (!firstMs) firstMs = performance.now() - t0
    got += (chunk as Uint8Array).byteLength
  }
  if (got !== bytes) throw new Error(`speak got ${got} of ${bytes} bytes`)
  return { firstMs, totalS: (performance.now() - t0) / 1000, bytes: got }
}

type Bases = Record<'direct' | Path, string>

/**
 * Medians of `measure` over `runs` runs against each base, interleaved so that a noisy neighbour hits all
 * alike, and the proxy's CPU time per run on each path (mean): on a shared machine the wall times move
 * with the neighbours, the CPU the proxy spends on the same work much less.
 */
async function sideBySide<T>(
  runs: number,
  bases: Bases,
  proxies: Record<Path, Child>,
  measure: (base: string) => Promise<T>,
  value: (result: T) => number,
): Promise<{ medians: Record<keyof Bases, number>; results: Record<keyof Bases, T[]>; cpuMs: Record<Path, number> }> {
  const results: Record<keyof Bases, T[]> = { direct: [], node: [], fetch: [], bare: [] }
  const cpu: Record<Path, number> = { node: 0, fetch: 0, bare: 0 }
  const order = Object.keys(bases) as (keyof Bases)[]
  for (let i = 0; i < runs; i++) {
    // Rotated each run, so that no path always goes first (or right after the direct run).
    for (let j = 0; j < order.length; j++) {
      const name = order[(i + j) % order.length] as keyof Bases
      const proxy = name === 'direct' ? undefined : proxies[name]
      const before = await proxy?.cpuMs()
      results[name].push(await measure(bases[name]))
      if (proxy && before !== undefined) cpu[name as Path] += (await proxy.cpuMs()) - before
    }
  }
  const medians = {
    direct: median(results.direct.map(value)),
    node: median(results.node.map(value)),
    fetch: median(results.fetch.map(value)),
    bare: median(results.bare.map(value)),
  }
  return { medians, results, cpuMs: { node: cpu.node / runs, fetch: cpu.fetch / runs, bare: cpu.bare / runs } }
}

const LABELS: Record<Path, string> = {
  node: 'Node path',
  fetch: 'Fetch path',
  bare: 'reference: bare node:http forwarder',
}
const label = (path: Path) => LABELS[path]

export async function proxyBench(log: (line: string) => void): Promise<Row[]> {
  const upstream = await startChild('upstream')
  const direct = `http://127.0.0.1:${upstream.ports.upstream}/v1`
  const proxies: Record<Path, Child> = {
    node: await startChild('node', direct),
    fetch: await startChild('fetch', direct),
    bare: await startChild('bare', direct),
  }
  const proxyUrl = (path: Path) => `http://127.0.0.1:${proxies[path].ports[path]}/api/voice/dify`
  const rows: Row[] = []
  try {
    const bases: Bases = { direct, node: proxyUrl('node'), fetch: proxyUrl('fetch'), bare: proxyUrl('bare') }
    // Warm every path (connections, JIT).
    for (let i = 0; i < 10; i++) for (const base of Object.values(bases)) await speak(base, 4096)

    log('proxy: first byte')
    const first = await sideBySide(
      FIRST_BYTE_RUNS,
      bases,
      proxies,
      (base) => speak(base, 4096),
      (result) => result.firstMs,
    )
    for (const path of PATHS) {
      const added = first.medians[path] - first.medians.direct
      rows.push({
        group: 'proxy',
        name: `${label(path)}: TTS first byte (p50 of ${FIRST_BYTE_RUNS})`,
        ours: `${first.medians[path].toFixed(2)} ms`,
        baseline: `${first.medians.direct.toFixed(2)} ms direct`,
        ratio: first.medians[path] / first.medians.direct,
        note: `${added >= 0 ? '+' : ''}${added.toFixed(2)} ms added (target ≤ +1 ms); proxy CPU ${first.cpuMs[path].toFixed(2)} ms per request`,
      })
    }

    const throughputs: [string, (base: string) => Promise<number>][] = [
      ['upload', (base) => upload(base)],
      ['streamed TTS', async (base) => (await speak(base, UPLOAD_BYTES)).totalS],
    ]
    for (const [what, transfer] of throughputs) {
      log(`proxy: 30 MiB ${what}`)
      const seconds = await sideBySide(TRANSFER_RUNS, bases, proxies, transfer, (s) => s)
      for (const path of PATHS) {
        rows.push({
          group: 'proxy',
          name: `${label(path)}: 30 MiB ${what} throughput (median of ${TRANSFER_RUNS})`,
          ours: `${(UPLOAD_BYTES / MiB / seconds.medians[path]).toFixed(0)} MiB/s`,
          baseline: `${(UPLOAD_BYTES / MiB / seconds.medians.direct).toFixed(0)} MiB/s direct`,
          ratio: seconds.medians.direct / seconds.medians[path],
          note: `${(seconds.medians[path] * 1000).toFixed(0)} vs ${(seconds.medians.direct * 1000).toFixed(0)} ms (target ≥ 0.9×); proxy CPU ${seconds.cpuMs[path].toFixed(0)} ms per transfer`,
        })
      }
    }

    log('proxy: 200 concurrent streams')
    const concurrent = async (base: string) => {
      const t0 = performance.now()
      const results = await Promise.all(Array.from({ length: 200 }, () => speak(base, 256 * 1024)))
      return {
        seconds: (performance.now() - t0) / 1000,
        p95: percentile(
          results.map((r) => r.firstMs),
          0.95,
        ),
      }
    }
    // Timed runs interleaved; memory in runs of their own, since sampling it forces a GC every 25 ms
    // in the proxy, which would be timed too.
    const wall = await sideBySide(CONCURRENT_RUNS, bases, proxies, concurrent, (run) => run.seconds)
    const p95 = (runs: { p95: number }[]) => median(runs.map((run) => run.p95))
    for (const path of PATHS) {
      const cMemory = path === 'bare' ? undefined : await proxies[path].memory(() => concurrent(bases[path]))
      const live = cMemory ? `; proxy live memory +${(cMemory.heapDelta / MiB).toFixed(1)} MiB` : ''
      rows.push({
        group: 'proxy',
        name: `${label(path)}: 200 concurrent 256 KiB TTS streams (wall time, median of ${CONCURRENT_RUNS})`,
        ours: `${(wall.medians[path] * 1000).toFixed(0)} ms`,
        baseline: `${(wall.medians.direct * 1000).toFixed(0)} ms direct`,
        ratio: wall.medians[path] / wall.medians.direct,
        note: `target ≤ 1.3×; proxy CPU ${wall.cpuMs[path].toFixed(0)} ms per run; first byte p95 ${p95(wall.results[path]).toFixed(0)} vs ${p95(wall.results.direct).toFixed(0)} ms${live}`,
      })
    }

    log('proxy: memory while streaming')
    // Flat means it does not grow with the size of the transfer: the same transfer, 4× larger, compared.
    const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`
    const transfers: [string, (base: string, bytes: number) => Promise<unknown>][] = [
      ['upload', (base, bytes) => upload(base, bytes)],
      ['TTS stream', (base, bytes) => speak(base, bytes)],
    ]
    for (const path of PROXY_PATHS) {
      for (const [what, run] of transfers) {
        const small = await proxies[path].memory(() => run(bases[path], UPLOAD_BYTES))
        const large = await proxies[path].memory(() => run(bases[path], 4 * UPLOAD_BYTES))
        const grew = large.heapDelta - small.heapDelta
        rows.push({
          group: 'proxy',
          name: `${label(path)}: proxy live memory, ${what}: 30 MiB → 120 MiB (peak delta)`,
          ours: `${mib(small.heapDelta)} → ${mib(large.heapDelta)}`,
          baseline: '4× the bytes',
          ratio: small.heapDelta > 0 ? large.heapDelta / small.heapDelta : null,
          note: `${grew < 8 * MiB ? 'flat' : 'GROWS'}; peak RSS +${mib(small.rssDelta)} / +${mib(large.rssDelta)}; sampled after gc every 25 ms`,
        })
      }
    }
  } finally {
    for (const path of PATHS) await proxies[path].close()
    await upstream.close()
  }
  return rows
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}
