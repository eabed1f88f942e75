import { VoiceProvider } from '@voicekit/react'
import { VoiceInput } from '@voicekit/ui'
import { Speak } from './speak'

// A Server Component (no 'use client'): VoiceProvider and VoiceInput are client components of their
// packages, and the provider takes plain values, a provider id and the proxy route, where a transport
// object could not cross from the server to the browser.
export function VoicePage({ baseUrl, title }: { baseUrl: string; title: string }) {
  return (
    <VoiceProvider provider="dify" baseUrl={baseUrl}>
      <h1>{title}</h1>
      <VoiceInput aria-label="Message" />
      <Speak />
    </VoiceProvider>
  )
}
