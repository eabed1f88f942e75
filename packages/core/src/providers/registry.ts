// A transport from a built-in provider id and plain options: what an app writes when all it has is
// serializable configuration (a Server Component's props, a JSON config), not a transport object.
import { VoiceError } from '../errors'
import type { StreamingTranscriber } from '../transport/streaming'
import type { HttpTransportOptions } from '../transport/types'
import { createDifyTransport, type DifyTransportOptions } from './dify/dify'
import {
  createElevenLabsTransport,
  type ElevenLabsRealtimeOptions,
  type ElevenLabsTransportOptions,
} from './elevenlabs/elevenlabs'
import { createLivepeerTransport, type LivepeerTransportOptions } from './livepeer/livepeer'
import { createOpenAITransport, type OpenAIRealtimeOptions, type OpenAITransportOptions } from './openai/openai'

const factories = {
  dify: createDifyTransport,
  elevenlabs: createElevenLabsTransport,
  livepeer: createLivepeerTransport,
  openai: createOpenAITransport,
} as const

/**
 * Each provider id of the main entry's registry, with its transport's options. Fish is not in it: its
 * transport lives on `@voicekit/core/fish` so that only its users' bundlers resolve msgpackr. It joins by
 * import, not by id: `createFishTransport(options)` from `@voicekit/core/fish` takes the same
 * `{ baseUrl, ... }` shape (`FishTransportOptions`), and the proxy serves it by id like the others.
 */
export interface TransportOptionsById {
  dify: DifyTransportOptions
  elevenlabs: ElevenLabsTransportOptions
  livepeer: LivepeerTransportOptions
  openai: OpenAITransportOptions
}

/** The ids `createTransport` knows: the built-in providers of the main entry (every one but `fish`). */
export type TransportProviderId = keyof TransportOptionsById

/** The providers whose transport also transcribes in real time (option `realtime`), with its options. */
export interface RealtimeOptionsById {
  elevenlabs: ElevenLabsRealtimeOptions
  openai: OpenAIRealtimeOptions
}

/**
 * What `createTransport(id, …)` returns: Livepeer only transcribes, the others transcribe and speak; with
 * `realtime` set, OpenAI's and ElevenLabs' also stream (`openTranscriptionStream`).
 */
export interface TransportById {
  dify: ReturnType<typeof createDifyTransport>
  elevenlabs: ReturnType<typeof createElevenLabsTransport>
  livepeer: ReturnType<typeof createLivepeerTransport>
  openai: ReturnType<typeof createOpenAITransport>
}

/**
 * The options of `id` that survive serialization (JSON, React Server Component props): no `fetch`, and
 * `headers` as a plain record rather than a `Headers` object or a function; `realtime` without a
 * `WebSocket` constructor, its connection a relay URL or the proxy's token route (`{ token: true }`).
 */
export type SerializableTransportOptions<Id extends TransportProviderId> = Omit<
  TransportOptionsById[Id],
  'fetch' | 'headers' | 'realtime'
> & { headers?: Record<string, string> } & (Id extends keyof RealtimeOptionsById
    ? { realtime?: boolean | SerializableRealtimeOptions<RealtimeOptionsById[Id]> }
    : unknown)

/** Real-time options as plain data: no constructor, no token function. */
export type SerializableRealtimeOptions<Options> = Omit<Options, 'WebSocket' | 'connection'> & {
  connection?: { readonly relay: string } | { readonly token: true; readonly url?: string }
}

const known = Object.keys(factories).join(', ')

/**
 * The transport of a built-in provider, by id: `createTransport('dify', { baseUrl: '/api/voice/dify', user })`
 * is `createDifyTransport({...})`. Options are typed by the id, so a misspelt id or option is a type error;
 * at run time an unknown id (or a missing `baseUrl`) is a VoiceError `invalid_request`.
 */
export function createTransport<Id extends keyof RealtimeOptionsById>(
  provider: Id,
  options: TransportOptionsById[Id] & { realtime: true | RealtimeOptionsById[Id] },
): TransportById[Id] & StreamingTranscriber
export function createTransport<Id extends TransportProviderId>(
  provider: Id,
  options: TransportOptionsById[Id],
): TransportById[Id]
export function createTransport<Id extends TransportProviderId>(
  provider: Id,
  options: TransportOptionsById[Id],
): TransportById[Id] {
  if (typeof provider !== 'string' || !Object.hasOwn(factories, provider)) {
    const fish = (provider as string) === 'fish' ? ": Fish is on '@voicekit/core/fish' (createFishTransport)" : ''
    throw new VoiceError(
      'invalid_request',
      `createTransport: no built-in provider ${JSON.stringify(provider)}${fish}; known: ${known}`,
    )
  }
  const baseUrl = (options as Partial<HttpTransportOptions> | undefined)?.baseUrl
  if (typeof baseUrl !== 'string' || !baseUrl) {
    throw new VoiceError('invalid_request', `createTransport: ${provider} needs a baseUrl (the app's proxy route)`, {
      provider,
    })
  }
  const create = factories[provider] as (options: TransportOptionsById[Id]) => TransportById[Id]
  return create(options)
}
