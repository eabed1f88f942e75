import type { QueryClient } from '@tanstack/react-query'
import type { SerializableTransportOptions, SpeechTransport, TransportProviderId } from '@voicekit/core'
import { lazy, type ReactNode } from 'react'
import { TransportProvider } from './context'

export interface VoiceProviderBaseProps {
  /**
   * The QueryClient that runs voicekit's requests. Defaults to the app's own (from
   * its QueryClientProvider) and otherwise to one this provider creates: an app
   * never needs react-query set up to use voicekit.
   */
  queryClient?: QueryClient
  children?: ReactNode
}

/** A transport object: for client components and apps without Server Components. */
export interface TransportProps {
  /** How speech reaches your server: `createDifyTranscriber({ baseUrl: '/api/voice/dify' })`, or your own. */
  transport: SpeechTransport
  provider?: never
  baseUrl?: never
  options?: never
}

/** Plain values, which a Server Component can pass where a transport object could not cross to the browser. */
export type TransportByIdProps = {
  [Id in TransportProviderId]: {
    /** A built-in provider's id, e.g. `'dify'` (Fish has none: pass `createFishTransport(…)` as `transport`). */
    provider: Id
    /** The app's proxy route for it, e.g. `'/api/voice/dify'`. */
    baseUrl: string
    /** The rest of that provider's transport options, serializable ones only (no `fetch`). */
    options?: Omit<SerializableTransportOptions<Id>, 'baseUrl'>
    transport?: never
  }
}[TransportProviderId]

/**
 * `transport` (`createDifyTransport({ baseUrl: '/api/voice/dify' })`, or your own), or `provider` and
 * `baseUrl`: `<VoiceProvider provider="dify" baseUrl="/api/voice/dify">`, which a Server Component can render.
 */
export type VoiceProviderProps = VoiceProviderBaseProps & (TransportProps | TransportByIdProps)

// Its own chunk, loaded on the first provider id: it holds every built-in transport, which an app that
// passes a transport never downloads. Until it is in, the provider suspends (on the server too).
const VoiceProviderById = lazy(() => import('./by-id'))

/** Gives the hooks and components below it a transport, a QueryClient and the request runner. */
export function VoiceProvider(props: VoiceProviderProps) {
  return props.transport && props.provider === undefined ? (
    <TransportProvider {...props} />
  ) : (
    <VoiceProviderById {...props} />
  )
}
