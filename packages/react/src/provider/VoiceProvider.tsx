import { QueryClient, QueryClientContext } from '@tanstack/react-query'
import type { RequestRunner, SpeechTransport } from '@voicekit/core'
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react'
import { mutationRunner } from './runner'

export interface VoiceContextValue {
  transport: SpeechTransport
  queryClient: QueryClient
  /** Runs the sessions' requests as mutations on `queryClient`. */
  runRequest: RequestRunner
}

const VoiceContext = createContext<VoiceContextValue | null>(null)

export interface VoiceProviderProps {
  /** How speech reaches your server: `createDifyTransport({ baseUrl: '/api/voice/dify' })`, or your own. */
  transport: SpeechTransport
  /**
   * The QueryClient that runs voicekit's requests. Defaults to the app's own (from
   * its QueryClientProvider) and otherwise to one this provider creates: an app
   * never needs react-query set up to use voicekit.
   */
  queryClient?: QueryClient
  children?: ReactNode
}

export function VoiceProvider({ transport, queryClient, children }: VoiceProviderProps) {
  const appClient = useContext(QueryClientContext)
  // Created once, and only when neither a prop nor the app provides a client.
  const [ownClient] = useState(() => (queryClient || appClient ? null : new QueryClient()))
  // ownClient exists exactly when neither of the others does.
  const client = (queryClient ?? appClient ?? ownClient)!
  const value = useMemo(
    () => ({ transport, queryClient: client, runRequest: mutationRunner(client) }),
    [transport, client],
  )
  return <VoiceContext.Provider value={value}>{children}</VoiceContext.Provider>
}

/** The transport, QueryClient and request runner of the nearest VoiceProvider; `transport` overrides it for one hook. */
export function useVoiceContext(override?: SpeechTransport): VoiceContextValue {
  const context = useContext(VoiceContext)
  if (!context) throw new Error('voicekit hooks need a <VoiceProvider transport={...}> above them')
  return override ? { ...context, transport: override } : context
}
