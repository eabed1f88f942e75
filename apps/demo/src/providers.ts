// The providers the demo can switch between. "local" is the speech server that
// `pnpm dev` starts (no key needed); the others go through the proxy at /api/voice,
// which holds their keys. Fish's transport is loaded only when chosen, so msgpackr
// is downloaded only by visitors who pick it.
import {
  createDifyTransport,
  createLivepeerTransport,
  createOpenAITransport,
  type SpeechTransport,
} from '@voicekit/core'

export type ProviderChoice = 'local' | 'dify' | 'livepeer' | 'fish' | 'openai'

export const PROVIDER_LABELS: Record<ProviderChoice, string> = {
  local: 'Local speech server',
  dify: 'Dify',
  livepeer: 'Livepeer',
  fish: 'Fish Audio',
  openai: 'OpenAI-compatible',
}

export interface DemoTransports {
  /** Dictation and read aloud. */
  main: SpeechTransport
  /** The transcript page, which wants timestamps: Dify answers text only. */
  timestamps: SpeechTransport
}

export async function transportsFor(choice: ProviderChoice): Promise<DemoTransports> {
  switch (choice) {
    case 'local':
      // Dify's wire format (the webm → WAV path a real Dify app needs), and the
      // OpenAI-compatible route for segments with timestamps.
      return {
        main: createDifyTransport({ baseUrl: '/api/local/dify' }),
        timestamps: createOpenAITransport({ baseUrl: '/api/local/openai' }),
      }
    case 'dify': {
      const dify = createDifyTransport({ baseUrl: '/api/voice/dify' })
      return { main: dify, timestamps: dify }
    }
    case 'livepeer': {
      const livepeer = createLivepeerTransport({ baseUrl: '/api/voice/livepeer' })
      return { main: livepeer, timestamps: livepeer }
    }
    case 'fish': {
      const { createFishTransport } = await import('@voicekit/core/fish')
      const fish = createFishTransport({ baseUrl: '/api/voice/fish' })
      return { main: fish, timestamps: fish }
    }
    case 'openai': {
      const openai = createOpenAITransport({ baseUrl: '/api/voice/openai' })
      return { main: openai, timestamps: openai }
    }
  }
}

export interface DemoConfig {
  providers: { name: Exclude<ProviderChoice, 'local'>; configured: boolean; env: string }[]
}

/** Which real providers the server has keys for (never the keys themselves). */
export async function loadDemoConfig(): Promise<DemoConfig> {
  const response = await fetch('/api/demo-config')
  if (!response.ok) throw new Error(`/api/demo-config answered ${response.status}`)
  return (await response.json()) as DemoConfig
}
