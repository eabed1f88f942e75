// The providers the demo can switch between: "local" is the speech server that `pnpm dev` starts (no key
// needed); the others are every provider descriptor core has, through the proxy at /api/voice, which holds
// their keys. A provider's transport is found among core's exports by the id its transports report, so a
// provider added to core appears here by itself. Entry points beside the main one load only when chosen
// (Fish's, so that msgpackr is downloaded only by visitors who pick it).
import * as core from '@voicekit/core'
import {
  createElevenLabsTransport,
  createOpenAITransport,
  type HttpTransportOptions,
  providerDescriptors,
  type SpeechTransport,
} from '@voicekit/core'

export type ProviderChoice = 'local' | (string & {})

export const PROVIDER_LABELS: Readonly<Record<string, string>> = {
  local: 'Local speech server',
  ...Object.fromEntries(Object.values(providerDescriptors).map((descriptor) => [descriptor.id, descriptor.name])),
}

export interface DemoTransports {
  /** Read aloud (and dictation where the provider has no real-time transcription). */
  main: SpeechTransport
  /** Dictation: real time where the provider streams (the local server's Scribe realtime, OpenAI, ElevenLabs). */
  dictation: SpeechTransport
  /** The transcript page, which wants timestamps (a provider that answers text only gives none). */
  timestamps: SpeechTransport
}

type Factory = (options: HttpTransportOptions) => SpeechTransport
const lazyEntries: (() => Promise<Record<string, unknown>>)[] = [() => import('@voicekit/core/fish')]

/** The two-way transport factory (`create…Transport`) of a provider id, from core's main entry or a lazy one. */
async function factoryFor(id: string): Promise<Factory> {
  const find = (entry: Record<string, unknown>) =>
    Object.entries(entry).find(
      ([name, value]) =>
        /^create\w+Transport$/.test(name) &&
        name !== 'createHttpTransport' &&
        typeof value === 'function' &&
        (value as Factory)({ baseUrl: '/' }).provider === id,
    )?.[1] as Factory | undefined
  const found = find(core as Record<string, unknown>)
  if (found) return found
  for (const load of lazyEntries) {
    const lazy = find(await load())
    if (lazy) return lazy
  }
  throw new Error(`No transport for ${id}`)
}

/** The local speech server answers every provider's wire format at /api/local/{id}. */
const LOCAL = { main: 'dify', dictation: 'elevenlabs', timestamps: 'openai' } as const

/** `?dictation=segments` keeps dictation in segment mode (a pause, a WAV over HTTP) even where real time exists. */
const segmentsAsked = () =>
  typeof location !== 'undefined' && new URLSearchParams(location.search).get('dictation') === 'segments'

export async function transportsFor(choice: ProviderChoice): Promise<DemoTransports> {
  const chosen = await chooseTransports(choice)
  return segmentsAsked() ? { ...chosen, dictation: chosen.main } : chosen
}

async function chooseTransports(choice: ProviderChoice): Promise<DemoTransports> {
  if (choice === 'local') {
    // Dify's wire format for dictation (the webm → WAV path a real Dify app needs), and the OpenAI-compatible
    // route for segments with timestamps.
    const [main, timestamps] = await Promise.all([factoryFor(LOCAL.main), factoryFor(LOCAL.timestamps)])
    return {
      main: main({ baseUrl: `/api/local/${LOCAL.main}` }),
      // Real time through the proxy's relay: Scribe realtime's wire format, pocketsphinx's interim words.
      dictation: createElevenLabsTransport({ baseUrl: `/api/local/${LOCAL.dictation}`, realtime: true }),
      timestamps: timestamps({ baseUrl: `/api/local/${LOCAL.timestamps}` }),
    }
  }
  const baseUrl = `/api/voice/${choice}`
  const transport = (await factoryFor(choice))({ baseUrl })
  const dictation =
    choice === 'elevenlabs'
      ? createElevenLabsTransport({ baseUrl, realtime: true })
      : choice === 'openai'
        ? createOpenAITransport({ baseUrl, realtime: true })
        : transport
  return { main: transport, dictation, timestamps: transport }
}

export interface DemoConfig {
  providers: { name: string; configured: boolean; env: string }[]
}

/** Which real providers the server has keys for (never the keys themselves). */
export async function loadDemoConfig(): Promise<DemoConfig> {
  const response = await fetch('/api/demo-config')
  if (!response.ok) throw new Error(`/api/demo-config answered ${response.status}`)
  return (await response.json()) as DemoConfig
}
