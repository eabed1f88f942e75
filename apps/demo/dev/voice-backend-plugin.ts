// Mounts the demo's backend (dev/backend.ts) in Vite's dev server. The backend is
// loaded through the dev server's own module graph, so the workspace packages run
// from their sources and `pnpm dev` needs no build first.
import { fileURLToPath } from 'node:url'
import { loadEnv, type Plugin } from 'vite'
import type { startDemoBackend } from './backend.ts'

const backendModule = fileURLToPath(new URL('./backend.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))

export function demoBackend(): Plugin {
  let close: (() => Promise<void>) | undefined
  return {
    name: 'voicekit-demo:backend',
    async configureServer(server) {
      // Keys come from the repository's .env (or the environment); none reaches the page.
      const env = { ...loadEnv(server.config.mode, repoRoot, ''), ...process.env }
      const { startDemoBackend: start } = (await server.ssrLoadModule(backendModule)) as {
        startDemoBackend: typeof startDemoBackend
      }
      const { logger } = server.config
      const backend = await start(env, { info: (line) => logger.info(line), warn: (line) => logger.warn(line) })
      close = backend.close
      server.middlewares.use(backend.listener)
      server.httpServer?.on('upgrade', backend.upgrade)
    },
    async buildEnd() {
      const pending = close
      close = undefined
      await pending?.()
    },
  }
}
