// The processes of the proxy bench, forked by bench/proxy.ts, each alone so that its CPU and memory are
// its own:
//   proxy-child.ts upstream             a fake Dify; answers with its port.
//   proxy-child.ts bare <url>           a reference, not voicekit: the least a Node forwarder does
//                                       (node:http request, keep-alive agent, pipeline both ways, no
//                                       policy, no limits, no timeouts), to tell the cost of a second
//                                       hop through Node's HTTP stack from the cost of the proxy; in a
//                                       process that holds the same modules as the proxy's.
//   proxy-child.ts node|fetch <url>     the proxy under measurement on one path: the handler through
//                                       toNodeListener with `io: 'node'` or `io: 'fetch'`; answers with its
//                                       port, samples its own memory and reports its CPU time on request.
//                                       Its upload limit is raised so that a 4× larger upload can show
//                                       whether memory grows.
// One process per path, as a deployment runs one: in one process the Fetch path's heap (undici's pools,
// web streams) made every garbage collection of the Node path dearer, and the reverse.
// The upstream is not in the bench's own process: there it would share one event loop with the client,
// which makes going direct pay for the upstream's work in series with the client's while the proxied
// runs get a process of their own in between (an upload looked faster through the proxy than direct).
import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream'
import { createVoiceProxy, toNodeListener } from '@voicekit/proxy'

type Message = { type: 'sample-start'; everyMs: number } | { type: 'sample-stop' } | { type: 'cpu' } | { type: 'exit' }

const [role, upstream] = process.argv.slice(2)
if (!process.send || !(role === 'upstream' || ((role === 'node' || role === 'fetch' || role === 'bare') && upstream))) {
  throw new Error('usage: forked by bench/proxy.ts (upstream | node|fetch|bare <upstream URL>)')
}
const send = process.send.bind(process)
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

function proxyServer(io: 'node' | 'fetch'): Server {
  const handler = createVoiceProxy({
    providers: { dify: { apiKey: 'bench-key', baseUrl: upstream as string, maxUploadBytes: 256 * 1024 * 1024 } },
  })
  return createServer(toNodeListener(handler, { io }))
}

function bareServer(): Server {
  // The voice proxy is created but not used: the process then holds what the proxy's process holds
  // (undici's Request, which createVoiceProxy loads), and that alone changes how often V8 runs full
  // collections while 64 KiB read buffers stream through. What differs from the Node path is the code.
  proxyServer('node')
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' })
  return createServer((req, res) => {
    const path = (req.url ?? '/').replace('/api/voice/dify', '')
    const headers: Record<string, string> = { authorization: 'Bearer bench-key' }
    for (const name of ['content-type', 'content-length']) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const forward = request(`${upstream}${path}`, { method: 'POST', agent, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      pipeline(answer, res, () => {})
    })
    pipeline(req, forward, () => {})
  })
}

const servers: Record<string, Server> =
  role === 'upstream'
    ? { upstream: createServer(upstreamHandler) }
    : { [role]: role === 'bare' ? bareServer() : proxyServer(role as 'node' | 'fetch') }
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
let peakRss = 0
let peakHeap = 0
let peakArrayBuffers = 0
let baseArrayBuffers = 0
let baseRss = 0
let baseHeap = 0
process.on('message', (message: Message) => {
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage()
    send({ type: 'cpu', micros: user + system })
  } else if (message.type === 'sample-start') {
    global.gc?.()
    const m = process.memoryUsage()
    baseRss = peakRss = m.rss
    baseHeap = peakHeap = m.heapUsed + m.external
    baseArrayBuffers = peakArrayBuffers = m.arrayBuffers
    timer = setInterval(() => {
      // Collected first: what is measured is what the proxy holds on to, not garbage awaiting collection.
      global.gc?.()
      const now = process.memoryUsage()
      peakRss = Math.max(peakRss, now.rss)
      peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers)
      peakHeap = Math.max(peakHeap, now.heapUsed + now.external)
    }, message.everyMs)
  } else if (message.type === 'sample-stop') {
    clearInterval(timer)
    send({
      type: 'samples',
      baseRss,
      peakRss,
      baseHeap,
      peakHeap,
      peakArrayBuffers: peakArrayBuffers - baseArrayBuffers,
    })
  } else {
    const all = Object.values(servers)
    for (const server of all) server.closeAllConnections()
    let open = all.length
    for (const server of all) server.close(() => --open === 0 && process.exit(0))
  }
})
