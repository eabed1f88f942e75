// The processes of the proxy bench, forked by bench/proxy.ts, each alone so that its CPU and memory are
// its own:
//   proxy-child.ts upstream             a fake Dify; answers with its port.
//   proxy-child.ts <role> <url>         one server under measurement in front of the upstream at <url>:
//                                       voicekit on either path, the floor, or a peer proxy (the roles
//                                       are in bench/proxy-servers.ts); answers with its port, samples its
//                                       own memory and reports its CPU time on request.
// One process per server, as a deployment runs one: in one process the Fetch path's heap (undici's pools,
// web streams) made every garbage collection of the Node path dearer, and the reverse.
// The upstream is not in the bench's own process: there it would share one event loop with the client,
// which makes going direct pay for the upstream's work in series with the client's while the proxied
// runs get a process of their own in between (an upload looked faster through the proxy than direct).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks'
import { type Role, serverFor } from './proxy-servers.ts'

type Message = { type: 'sample-start'; everyMs: number } | { type: 'sample-stop' } | { type: 'cpu' } | { type: 'exit' }

const [role, upstream] = process.argv.slice(2)
if (!process.send || !role || (role !== 'upstream' && !upstream)) {
  throw new Error('usage: forked by bench/proxy.ts (upstream | <role> <upstream URL>)')
}
const send = process.send.bind(process)
// Garbage collections by kind: the mark-compacts so far go with every CPU reading (bench/proxy.ts logs
// them per operation), and PROXY_BENCH_GC=1 prints all of them when the process exits.
const gcs = new Map<string, { count: number; ms: number }>()
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
}
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other'
    const seen = gcs.get(kind) ?? { count: 0, ms: 0 }
    seen.count++
    seen.ms += entry.duration
    gcs.set(kind, seen)
  }
}).observe({ entryTypes: ['gc'] })
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

const servers: Record<string, Server> =
  role === 'upstream'
    ? { upstream: createServer(upstreamHandler) }
    : { [role]: await serverFor(role as Role, upstream!) }
const listening = Object.values(servers).map((server) => {
  // No idle timeout of its own: the client closes idle connections. On a loaded machine a server timeout
  // races the client reusing the connection after a long transfer elsewhere (EPIPE, ECONNRESET).
  server.keepAliveTimeout = 0
  return new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})
void Promise.all(listening).then(() => {
  const ports = Object.fromEntries(
    Object.entries(servers).map(([name, server]) => [name, (server.address() as AddressInfo).port]),
  )
  send({ type: 'ready', ports })
})

let timer: ReturnType<typeof setInterval> | undefined
let baseRss = 0
let baseLive = 0
let rss: number[] = []
let live: number[] = []
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
process.on('message', (message: Message) => {
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage()
    send({ type: 'cpu', micros: user + system, markCompacts: gcs.get('mark-compact')?.count ?? 0 })
  } else if (message.type === 'sample-start') {
    global.gc?.()
    const m = process.memoryUsage()
    baseRss = m.rss
    baseLive = m.heapUsed + m.external
    rss = [baseRss]
    live = [baseLive]
    timer = setInterval(() => {
      // Collected first: what is measured is what the server holds on to, not garbage awaiting collection.
      global.gc?.()
      const now = process.memoryUsage()
      rss.push(now.rss)
      live.push(now.heapUsed + now.external)
    }, message.everyMs)
  } else if (message.type === 'sample-stop') {
    clearInterval(timer)
    // Measured from the lowest level seen: what an earlier transfer left for the collector to free can
    // still be there when sampling starts, and would make the figures negative.
    send({
      type: 'samples',
      baseRss: Math.min(...rss),
      peakRss: Math.max(...rss),
      baseLive: Math.min(...live),
      medianLive: median(live),
      peakLive: Math.max(...live),
      samples: live.length,
    })
  } else {
    if (process.env.PROXY_BENCH_GC) {
      const counts = [...gcs].map(([kind, { count, ms }]) => `${kind} ${count} (${ms.toFixed(0)} ms)`)
      process.stderr.write(`gc ${role}: ${counts.join(', ')}\n`)
    }
    const all = Object.values(servers)
    for (const server of all) server.closeAllConnections()
    let open = all.length
    for (const server of all) server.close(() => --open === 0 && process.exit(0))
  }
})
