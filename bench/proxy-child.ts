// The proxy under measurement, alone in its own process so that its memory is its own.
// Forked by bench/proxy.ts: receives the upstream URL, answers with the ports of its two servers (the
// same handler through toNodeListener on the Node path and on the Fetch path), samples its own memory
// on request. Its upload limit is raised so that a 4× larger upload can show whether memory grows.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createVoiceProxy, toNodeListener } from '@voicekit/proxy'

type Message = { type: 'sample-start'; everyMs: number } | { type: 'sample-stop' } | { type: 'exit' }

const upstream = process.argv[2]
if (!upstream || !process.send) throw new Error('usage: forked by bench/proxy.ts with the upstream URL')
const send = process.send.bind(process)

const handler = createVoiceProxy({
  providers: { dify: { apiKey: 'bench-key', baseUrl: upstream, maxUploadBytes: 256 * 1024 * 1024 } },
})
const servers = {
  node: createServer(toNodeListener(handler, { io: 'node' })),
  fetch: createServer(toNodeListener(handler, { io: 'fetch' })),
}
const listening = Object.values(servers).map((server) => {
  // No idle timeout of its own: the client closes idle connections. On a loaded machine a server timeout
  // races the client reusing the connection after a long transfer elsewhere (EPIPE, ECONNRESET).
  server.keepAliveTimeout = 0
  return new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})
void Promise.all(listening).then(() => {
  const port = (server: (typeof servers)['node']) => (server.address() as AddressInfo).port
  send({ type: 'ready', ports: { node: port(servers.node), fetch: port(servers.fetch) } })
})

let timer: ReturnType<typeof setInterval> | undefined
let peakRss = 0
let peakHeap = 0
let peakArrayBuffers = 0
let baseArrayBuffers = 0
let baseRss = 0
let baseHeap = 0
process.on('message', (message: Message) => {
  if (message.type === 'sample-start') {
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
    for (const server of Object.values(servers)) server.closeAllConnections()
    let open = 2
    for (const server of Object.values(servers)) server.close(() => --open === 0 && process.exit(0))
  }
})
