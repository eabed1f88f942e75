// voiceProxy: the proxy inside Vite's dev server and `vite preview`, so that `pnpm dev` needs no
// second server. Vite is only a type dependency here (an optional peer).
import type { Plugin } from 'vite'
import { createVoiceProxy } from './handler'
import { toNodeListener } from './node'
import type { VoiceProxyOptions } from './options'
import { toUpgradeListener, type UpgradeListener } from './relay/node'

type UpgradeTarget = { on(event: 'upgrade', listener: UpgradeListener): unknown } | null | undefined

export function voiceProxy(options: VoiceProxyOptions): Plugin {
  const handler = createVoiceProxy(options)
  const listener = toNodeListener(handler)
  // Real-time sockets under basePath; every other upgrade (Vite's HMR socket, a server.proxy with
  // `ws: true`) is left to its own listener.
  const upgrade = toUpgradeListener(handler)
  const relaySockets = (httpServer: UpgradeTarget) => {
    httpServer?.on('upgrade', (req, socket, head) => upgrade(req, socket, head))
  }
  return {
    name: 'voicekit:proxy',
    // Registered directly (not in a returned function): ahead of Vite's own middlewares and of the SPA
    // fallback; paths outside basePath go straight on to next().
    configureServer(server) {
      server.middlewares.use(listener)
      // Null in middleware mode: the app's own server then attaches toUpgradeListener itself.
      relaySockets(server.httpServer as UpgradeTarget)
    },
    configurePreviewServer(server) {
      server.middlewares.use(listener)
      relaySockets(server.httpServer as UpgradeTarget)
    },
  }
}
