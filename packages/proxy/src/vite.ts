// voiceProxy: the proxy inside Vite's dev server and `vite preview`, so that `pnpm dev` needs no
// second server. Vite is only a type dependency here (an optional peer).
import type { Plugin } from 'vite'
import { createVoiceProxy } from './handler'
import { toNodeListener } from './node'
import type { VoiceProxyOptions } from './options'

export function voiceProxy(options: VoiceProxyOptions): Plugin {
  const listener = toNodeListener(createVoiceProxy(options))
  return {
    name: 'voicekit:proxy',
    // Registered directly (not in a returned function): ahead of Vite's own middlewares and of the SPA
    // fallback; paths outside basePath go straight on to next().
    configureServer(server) {
      server.middlewares.use(listener)
    },
    configurePreviewServer(server) {
      server.middlewares.use(listener)
    },
  }
}
