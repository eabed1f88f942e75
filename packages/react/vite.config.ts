import type { Plugin } from 'vite'
import { libraryConfig } from '../../scripts/library-config'

/**
 * `'use client'` as the first statement of each entry file in dist, so that a React Server Component
 * (Next.js) can render what the entry exports: the bundler then treats the entry as a client boundary.
 * Added to the output, not the sources: a directive in a source module would be dropped by the bundler,
 * and only the entries need it (the modules behind them are in the client graph already).
 * Shared with @voicekit/ui's config; core and proxy are framework-free and stay without it.
 */
export function clientEntries(): Plugin {
  return {
    name: 'voicekit-use-client-entries',
    renderChunk(code, chunk) {
      return chunk.isEntry ? `'use client';\n${code}` : null
    },
  }
}

const config = libraryConfig(import.meta.dirname)
export default { ...config, plugins: [...(config.plugins ?? []), clientEntries()] }
