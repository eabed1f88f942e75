// Where the real-time tests run the proxy, each on a real socket on 127.0.0.1: node:http with
// toNodeListener and toUpgradeListener (each variant's listener passing foreign paths on), a Vite dev or
// preview server with one voiceProxy plugin per variant (each leaving the others' upgrades alone), and
// workerd through miniflare, straight to the worker.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toNodeListener } from '../node'
import { toUpgradeListener } from '../relay/node'
import { voiceProxy } from '../vite'
import { bundleWorker } from './hosts'
import { type RealtimeConfig, realtimeHandlers, realtimeOptions } from './realtime-config'

export interface RunningHost {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string
  close(): Promise<void>
}

export interface RealtimeHost {
  readonly name: string
  /** Whether the runtime lets a reader pause (workerd does not: its own flow control applies). */
  readonly pausesReaders: boolean
  start(config: RealtimeConfig): Promise<RunningHost>
}

export const nodeRealtimeHost: RealtimeHost = {
  name: 'node:http',
  pausesReaders: true,
  async start(config) {
    const handlers = realtimeHandlers(config)
    const listeners = handlers.map((handler) => toNodeListener(handler))
    const upgrades = handlers.map((handler) => toUpgradeListener(handler))
    const server = createServer((req, res) => {
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
    server.on('upgrade', (req, socket, head) => {
      const run = (index: number) => {
        const upgrade = upgrades[index]
        if (upgrade) upgrade(req, socket, head, () => run(index + 1))
        else socket.destroy()
      }
      run(0)
    })
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

async function viteRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'voicekit-relay-vite-'))
  await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>')
  await mkdir(join(root, 'dist'), { recursive: true })
  await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><title>built</title>')
  return root
}

/** A Vite dev server (HMR on, its own socket on the same port) or a preview server, one plugin per variant. */
export function viteRealtimeHost(mode: 'dev' | 'preview'): RealtimeHost {
  return {
    name: mode === 'dev' ? 'Vite dev server' : 'Vite preview server',
    pausesReaders: true,
    async start(config) {
      const root = await viteRoot()
      const plugins = config.variants.map((variant) => voiceProxy(realtimeOptions(variant)))
      const vite = await import('vite')
      if (mode === 'dev') {
        const server = await vite.createServer({
          configFile: false,
          root,
          logLevel: 'silent',
          server: { port: 0, host: '127.0.0.1', strictPort: false },
          plugins,
        })
        await server.listen()
        if (!server.httpServer) throw new Error('the dev server has no HTTP server')
        const { port } = server.httpServer.address() as AddressInfo
        return {
          url: `http://127.0.0.1:${port}`,
          close: async () => {
            await server.close()
            await rm(root, { recursive: true, force: true })
          },
        }
      }
      const server = await vite.preview({
        configFile: false,
        root,
        logLevel: 'silent',
        preview: { port: 0, host: '127.0.0.1', strictPort: false },
        plugins,
      })
      const { port } = server.httpServer.address() as AddressInfo
      return {
        url: `http://127.0.0.1:${port}`,
        close: async () => {
          ;(server.httpServer as { closeAllConnections?: () => void }).closeAllConnections?.()
          await server.close()
          await rm(root, { recursive: true, force: true })
        },
      }
    },
  }
}

export const workerdRealtimeHost: RealtimeHost = {
  name: 'workerd',
  pausesReaders: false,
  async start(config) {
    const [{ Miniflare }, script] = await Promise.all([import('miniflare'), bundleWorker('./realtime-worker.ts')])
    const mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: '2025-09-01',
      compatibilityFlags: ['enable_request_signal'],
      bindings: { CONFIG: JSON.stringify(config) },
      unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    })
    await mf.ready
    const url = await mf.unsafeGetDirectURL()
    return { url: url.origin, close: () => mf.dispose() }
  },
}
