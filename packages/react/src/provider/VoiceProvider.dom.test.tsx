import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, renderHook } from '@testing-library/react'
import type { SpeechTransport } from '@voicekit/core'
import type { ReactNode } from 'react'
import { expect, test } from 'vitest'
import { useVoiceContext, VoiceProvider } from './VoiceProvider'

const transport: SpeechTransport = { provider: 'test', input: { mimeTypes: ['audio/wav'], maxBytes: 1024 } }

test('uses the app QueryClient when the app has one', () => {
  const appClient = new QueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={appClient}>
      <VoiceProvider transport={transport}>{children}</VoiceProvider>
    </QueryClientProvider>
  )
  const { result } = renderHook(() => useVoiceContext(), { wrapper })
  expect(result.current.queryClient).toBe(appClient)
  expect(result.current.transport).toBe(transport)
})

test('creates and keeps its own QueryClient when the app has none', () => {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <VoiceProvider transport={transport}>{children}</VoiceProvider>
  )
  const { result, rerender } = renderHook(() => useVoiceContext(), { wrapper })
  const first = result.current.queryClient
  expect(first).toBeInstanceOf(QueryClient)
  rerender()
  expect(result.current.queryClient).toBe(first)
})

test('a queryClient prop wins over the app one', () => {
  const appClient = new QueryClient()
  const mine = new QueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={appClient}>
      <VoiceProvider transport={transport} queryClient={mine}>
        {children}
      </VoiceProvider>
    </QueryClientProvider>
  )
  const { result } = renderHook(() => useVoiceContext(), { wrapper })
  expect(result.current.queryClient).toBe(mine)
})

function Orphan() {
  useVoiceContext()
  return null
}

test('a hook outside a VoiceProvider says what is missing', () => {
  expect(() => render(<Orphan />)).toThrow(/VoiceProvider/)
})
