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

export interface TransportProviderProps {
  transport: SpeechTransport
  queryClient?: QueryClient | undefined
  children?: ReactNode
}

/** The context every VoiceProvider gives, whichever way it got its transport. */
export function TransportProvider({ transport, queryClient, children }: TransportProviderProps) {
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
  if (!context) throw new Error('voicekit hooks need a <VoiceProvider> above them')
  return override ? { ...context, transport: override } : context
}
