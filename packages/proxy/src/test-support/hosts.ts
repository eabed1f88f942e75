// How a test reaches the handler: hosted by node:http through toNodeListener (a Connect-style chain,
// one listener per variant, each passing foreign paths to next()), or bundled into a single ES module
// worker and run by workerd through miniflare. Both listen on real sockets on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { toNodeListener } from '../node'
import { type HostConfig, handlersFor } from './config'

export interface Running {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string
  close(): Promise<void>
}

export interface Host {
  readonly name: string
  /**
   * Whether the runtime resolves dot segments (`..`, `%2e%2e`) before the handler sees the URL, as
   * workerd and Next.js do. The result is always a route of the allowlist or a 404; on Node the raw path
   * is checked and such requests are refused outright.
   */
  readonly resolvesDotSegments: boolean
  /**
   * Whether the runtime notices a client that disconnects while no response byte is being written
   * (workerd's HTTP server does not: it finds out on its next write).
   */
  readonly noticesIdleDisconnect: boolean
  /** Whether a response body that errors half-way reaches the client as an error (workerd ends it). */
  readonly reportsTruncatedBodies: boolean
  /**
   * Whether an early answer (a 413 while the client is still uploading) always reaches the client.
   * Node drains the rest of the upload and answers; workerd may close the connection under the
   * client's feet, which the client sees as a reset instead of the 413.
   */
  readonly answersEarlyDuringUpload: boolean
  start(config: HostConfig): Promise<Running>
}

/** node:http through toNodeListener, bytes on the Node path (`io: 'node'`) or the Fetch path. */
function nodeHostWith(io: 'node' | 'fetch'): Host {
  return {
    name: io === 'node' ? 'node' : 'node, Fetch path',
    resolvesDotSegments: false,
    noticesIdleDisconnect: true,
    reportsTruncatedBodies: true,
    answersEarlyDuringUpload: true,
    async start(config) {
      const listeners = handlersFor(config).map((handler) => toNodeListener(handler, { io }))
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const run = (index: number) => {
          const listener = listeners[index]
          if (listener) listener(req, res, () => run(index + 1))
          else {
            res.statusCode = 404
            res.end('fallthrough')
          }
        }
        run(0)
      })
      // Longer than the client's own keep-alive (it takes the server's hint less a second): the client
      // always drops an idle connection first, so that a slow machine never reuses one the server is
      // closing at that very moment (an ECONNRESET that says nothing about the proxy).
      server.keepAliveTimeout = 60_000
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const { port } = server.address() as AddressInfo
      return {
        url: `http://127.0.0.1:${port}`,
        close: async () => {
          server.closeAllConnections()
          await new Promise<void>((resolve) => server.close(() => resolve()))
        },
      }
    },
  }
}

export const nodeHost = nodeHostWith('node')
export const nodeFetchHost = nodeHostWith('fetch')

const bundles = new Map<string, Promise<string>>()

/**
 * A worker entry of this folder (`./worker.ts`, `./realtime-worker.ts`) and everything it imports (core's
 * TypeScript source included) as one ES module, built once per entry.
 */
export function bundleWorker(entryFile: string): Promise<string> {
  let bundle = bundles.get(entryFile)
  if (bundle) return bundle
  bundle = (async () => {
    const { build } = await import('vite')
    const entry = fileURLToPath(new URL(entryFile, import.meta.url))
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      root: fileURLToPath(new URL('../..', import.meta.url)),
      resolve: { conditions: ['@voicekit/source', 'workerd', 'worker', 'browser', 'import', 'module', 'default'] },
      build: {
        write: false,
        minify: false,
        target: 'es2022',
        lib: { entry, formats: ['es'], fileName: 'worker' },
        // One module: lazily imported code (the relay's) goes inline, as a Worker script takes it.
        rolldownOptions: { output: { codeSplitting: false } },
      },
    })
    const results = Array.isArray(output) ? output : [output]
    for (const result of results) {
      if (!('output' in result)) continue
      const chunk = result.output.find((item) => item.type === 'chunk' && item.isEntry)
      if (chunk && chunk.type === 'chunk') return chunk.code
    }
    throw new Error(`the worker bundle of ${entryFile} has no entry chunk`)
  })()
  bundles.set(entryFile, bundle)
  return bundle
}

export const workerdHost: Host = {
  name: 'workerd',
  resolvesDotSegments: true,
  noticesIdleDisconnect: false,
  reportsTruncatedBodies: false,
  answersEarlyDuringUpload: false,
  async start(config) {
    const [{ Miniflare }, script] = await Promise.all([import('miniflare'), bundleWorker('./worker.ts')])
    const mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: '2025-09-01',
      // request.signal then aborts when the client disconnects.
      compatibilityFlags: ['enable_request_signal'],
      bindings: { CONFIG: JSON.stringify(config) },
      // Straight to the worker, not through miniflare's entry worker: as close to production as it gets.
      unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    })
    await mf.ready
    const url = await mf.unsafeGetDirectURL()
    return {
      url: url.origin,
      close: () => mf.dispose(),
    }
  },
}
