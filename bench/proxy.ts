// Proxy vs direct on loopback: the same fake Dify upstream, reached directly and through
// @voicekit/proxy (in its own process). Everything bounded: a few hundred MiB moved in total.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { median, type Row } from './stats.ts'

const MiB = 1024 * 1024
const UPLOAD_BYTES = 30 * MiB
const CHUNK = Buffer.alloc(64 * 1024, 0xff)

/** A fake Dify: drains uploads and answers `{text}`, streams `bytes` of audio/mpeg for text-to-audio. */
function upstreamHandler(req: IncomingMessage, res: ServerResponse) {
  if (req.url?.endsWith('/audio-to-text')) {
    let received = 0
    req.on('data', (chunk: Buffer) => {
      received += chunk.length
    })
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ text: `received ${received}` }))
    })
    return
  }
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const { bytes = 4096 } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { bytes?: number }
    res.writeHead(200, { 'content-type': 'audio/mpeg' })
    let left = bytes
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, CHUNK.length)
        left -= n
        if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void res.once('drain', write)
      }
      res.end()
    }
    write()
  })
}

interface Child {
  url: string
  memory<T>(during: () => Promise<T>): Promise<{ result: T; rssDelta: number; heapDelta: number; bufferDelta: number }>
  close(): Promise<void>
}

async function startProxy(upstream: string): Promise<Child> {
  const child = fork(fileURLToPath(new URL('./proxy-child.ts', import.meta.url)), [upstream], {
    execArgv: ['--import', 'tsx', '--conditions', '@voicekit/source', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const [ready] = (await once(child, 'message')) as [{ port: number }]
  return {
    url: `http://127.0.0.1:${ready.port}/api/voice/dify`,
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
  const response = await fetch(`${base}/audio-to-text`, { method: 'POST', body: form })
  const body = (await response.json()) as { text?: string }
  if (!response.ok || !body.text?.startsWith('received ')) throw new Error(`upload failed: ${response.status}`)
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

/** Medians of `measure` over `runs` runs against each base, interleaved so that a noisy neighbour hits both alike. */
async function sideBySide<T>(
  runs: number,
  bases: { direct: string; proxy: string },
  measure: (base: string) => Promise<T>,
  value: (result: T) => number,
): Promise<{ direct: number; proxy: number; results: { direct: T[]; proxy: T[] } }> {
  const results = { direct: [] as T[], proxy: [] as T[] }
  for (let i = 0; i < runs; i++) {
    results.direct.push(await measure(bases.direct))
    results.proxy.push(await measure(bases.proxy))
  }
  return {
    direct: median(results.direct.map(value)),
    proxy: median(results.proxy.map(value)),
    results,
  }
}

export async function proxyBench(log: (line: string) => void): Promise<Row[]> {
  const upstreamServer = createServer(upstreamHandler)
  upstreamServer.listen(0, '127.0.0.1')
  await once(upstreamServer, 'listening')
  const direct = `http://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}/v1`
  const proxy = await startProxy(direct)
  const rows: Row[] = []
  try {
    // Warm both paths (connections, JIT).
    for (let i = 0; i < 5; i++) {
      await speak(direct, 4096)
      await speak(proxy.url, 4096)
    }
    const bases = { direct, proxy: proxy.url }
    log('proxy: first byte')
    const { direct: fd, proxy: fp } = await sideBySide(
      40,
      bases,
      (base) => speak(base, 4096),
      (result) => result.firstMs,
    )
    rows.push({
      group: 'proxy',
      name: 'TTS first byte (median of 40)',
      ours: `${fp.toFixed(2)} ms`,
      baseline: `${fd.toFixed(2)} ms direct`,
      ratio: fp / fd,
      note: `+${(fp - fd).toFixed(2)} ms added`,
    })

    const throughputs: [string, (base: string) => Promise<number>][] = [
      ['upload', (base) => upload(base)],
      ['streamed TTS', async (base) => (await speak(base, UPLOAD_BYTES)).totalS],
    ]
    for (const [what, transfer] of throughputs) {
      log(`proxy: 30 MiB ${what}`)
      const seconds = await sideBySide(3, bases, transfer, (s) => s)
      rows.push({
        group: 'proxy',
        name: `30 MiB ${what} throughput (median of 3)`,
        ours: `${(UPLOAD_BYTES / MiB / seconds.proxy).toFixed(0)} MiB/s`,
        baseline: `${(UPLOAD_BYTES / MiB / seconds.direct).toFixed(0)} MiB/s direct`,
        ratio: seconds.direct / seconds.proxy,
        note: `${(seconds.proxy * 1000).toFixed(0)} vs ${(seconds.direct * 1000).toFixed(0)} ms`,
      })
    }

    log('proxy: memory while streaming')
    // Flat means it does not grow with the size of the transfer: the same transfer, 4× larger, compared.
    const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`
    const transfers: [string, (bytes: number) => Promise<unknown>][] = [
      ['upload', (bytes) => upload(proxy.url, bytes)],
      ['TTS stream', (bytes) => speak(proxy.url, bytes)],
    ]
    for (const [what, run] of transfers) {
      const small = await proxy.memory(() => run(UPLOAD_BYTES))
      const large = await proxy.memory(() => run(4 * UPLOAD_BYTES))
      const grew = large.heapDelta - small.heapDelta
      rows.push({
        group: 'proxy',
        name: `proxy live memory, ${what}: 30 MiB → 120 MiB (peak delta)`,
        ours: `${mib(small.heapDelta)} → ${mib(large.heapDelta)}`,
        baseline: '4× the bytes',
        ratio: small.heapDelta > 0 ? large.heapDelta / small.heapDelta : null,
        note: `${grew < 8 * MiB ? 'flat' : 'GROWS'}; peak RSS +${mib(small.rssDelta)} / +${mib(large.rssDelta)}; sampled after gc every 25 ms`,
      })
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
    // Timed runs interleaved; memory in a run of its own, since sampling it forces a GC every 25 ms
    // in the proxy, which would be timed too.
    const wall = await sideBySide(3, bases, concurrent, (run) => run.seconds)
    const p95 = (runs: { p95: number }[]) => median(runs.map((run) => run.p95))
    const cMemory = await proxy.memory(() => concurrent(proxy.url))
    rows.push({
      group: 'proxy',
      name: '200 concurrent 256 KiB TTS streams (wall time, median of 3)',
      ours: `${(wall.proxy * 1000).toFixed(0)} ms`,
      baseline: `${(wall.direct * 1000).toFixed(0)} ms direct`,
      ratio: wall.proxy / wall.direct,
      note: `first byte p95 ${p95(wall.results.proxy).toFixed(0)} vs ${p95(wall.results.direct).toFixed(0)} ms; proxy live memory +${(cMemory.heapDelta / MiB).toFixed(1)} MiB`,
    })
  } finally {
    await proxy.close()
    upstreamServer.closeAllConnections()
    upstreamServer.close()
  }
  return rows
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}
