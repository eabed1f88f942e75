import { createTransport, type TransportProviderId, VoiceError } from '@voicekit/core'
import { useMemo } from 'react'
import { TransportProvider } from './context'
import type { VoiceProviderProps } from './VoiceProvider'

/** A VoiceProvider given a provider id and baseUrl (or given something invalid, which it reports). */
export default function VoiceProviderById({ transport, provider, baseUrl, options, ...rest }: VoiceProviderProps) {
  if (transport) throw new VoiceError('invalid_request', 'VoiceProvider takes a transport or a provider id, not both')
  if (provider === undefined) {
    throw new VoiceError('invalid_request', 'VoiceProvider needs a transport, or a provider id and its baseUrl')
  }
  // Serializable by contract, so the JSON is the identity: a parent that re-renders the same values as
  // new objects keeps the transport (and the sessions built on it).
  const key = JSON.stringify({ provider, options: { ...options, baseUrl } })
  const made = useMemo(() => {
    const { provider, options } = JSON.parse(key) as { provider: TransportProviderId; options: { baseUrl: string } }
    return createTransport(provider, options)
  }, [key])
  return <TransportProvider transport={made} {...rest} />
}
