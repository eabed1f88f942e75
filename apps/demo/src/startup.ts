// What the page needs before it lays out what is under the tagline: which providers have keys, the local
// speech server's engines, a dictation kept from a page closed mid-dictation, and the local transports.
// Each answers in a few milliseconds on an idle machine and in seconds on a loaded one.
import { useQuery } from '@tanstack/react-query'
import type { SavedDictation } from '@voicekit/core'
import { type DemoConfig, transportsFor } from './providers'
import type { EngineReport } from './speech-engines'

export interface DemoSources {
  /** Which real providers the dev server has keys for. */
  config(): Promise<DemoConfig>
  /** The local speech server's engines (null without the demo's dev server). */
  engines(): Promise<EngineReport | null>
  /** Dictations with segments still untranscribed (IndexedDB), oldest first. */
  savedDictations(): Promise<SavedDictation[]>
}

export interface Startup {
  /** Every source has answered or failed. */
  ready: boolean
  config: DemoConfig | undefined
  engines: EngineReport | null | undefined
  /** The newest saved dictation, or null. */
  savedDictation: SavedDictation | null
}

// Read once per page load (the dev server asks the speech server afresh on each load): a refetch on focus
// would change the page under the person. Not retried: a failure means no dev server, and the page says so
// at once instead of waiting through the backoff.
const once = { staleTime: Infinity, retry: false } as const

export function useStartup(sources: DemoSources): Startup {
  const config = useQuery({ queryKey: ['demo-config'], queryFn: sources.config, ...once })
  const engines = useQuery({ queryKey: ['demo-engines'], queryFn: sources.engines, ...once })
  const saved = useQuery({ queryKey: ['saved-dictations'], queryFn: sources.savedDictations, ...once })
  // The same query App shows while the local provider is chosen: the first sections wait for it too.
  const local = useQuery({
    queryKey: ['transports', 'local'],
    queryFn: () => transportsFor('local'),
    staleTime: Infinity,
  })
  return {
    ready: [config, engines, saved, local].every((query) => !query.isPending),
    config: config.data,
    engines: engines.data,
    savedDictation: saved.data?.[saved.data.length - 1] ?? null,
  }
}
