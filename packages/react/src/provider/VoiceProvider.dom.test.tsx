import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, renderHook, screen, waitFor } from '@testing-library/react'
import { type SpeechTransport, VoiceError } from '@voicekit/core'
import { Component, type ReactNode, Suspense } from 'react'
import { describe, expect, test } from 'vitest'
import { useVoiceContext, VoiceProvider } from '.'

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

/** Shows the provider's transport, and records each one it renders with. */
function Probe({ seen }: { seen: SpeechTransport[] }) {
  const { transport } = useVoiceContext()
  seen.push(transport)
  return <p>{transport.provider}</p>
}

// The serializable form, `provider` + `baseUrl`: what a Server Component can render.
describe('a provider id and baseUrl instead of a transport', () => {
  test('suspends while the registry loads, then passes down the Dify transport for that route', async () => {
    const seen: SpeechTransport[] = []
    render(
      <Suspense fallback={<p>loading</p>}>
        <VoiceProvider provider="dify" baseUrl="/api/voice/dify" options={{ user: 'reader-1' }}>
          <Probe seen={seen} />
        </VoiceProvider>
      </Suspense>,
    )
    // The fallback first: the registry is its own chunk, not part of VoiceProvider.
    expect(screen.getByText('loading')).toBeTruthy()
    expect(await screen.findByText('dify')).toBeTruthy()
    expect(seen[0]).toMatchObject({ provider: 'dify' })
    expect(typeof seen[0]?.transcribe).toBe('function')
    expect(typeof seen[0]?.speak).toBe('function')
  })

  test('the same values re-rendered as new objects keep the transport; another baseUrl makes a new one', async () => {
    const seen: SpeechTransport[] = []
    const page = (baseUrl: string) => (
      <Suspense fallback={null}>
        <VoiceProvider provider="openai" baseUrl={baseUrl} options={{ voice: 'alloy' }}>
          <Probe seen={seen} />
        </VoiceProvider>
      </Suspense>
    )
    const { rerender } = render(page('/api/voice/openai'))
    await screen.findByText('openai')
    rerender(page('/api/voice/openai'))
    expect(seen.length).toBeGreaterThan(1)
    expect(new Set(seen).size).toBe(1)
    rerender(page('/other/voice/openai'))
    expect(seen.at(-1)).not.toBe(seen[0])
    expect(seen.at(-1)).toMatchObject({ provider: 'openai' })
  })

  test('a one-way provider (Livepeer) passes down a transport that only transcribes', async () => {
    const seen: SpeechTransport[] = []
    render(
      <VoiceProvider provider="livepeer" baseUrl="/api/voice/livepeer">
        <Probe seen={seen} />
      </VoiceProvider>,
    )
    await screen.findByText('livepeer')
    expect(seen[0]?.speak).toBeUndefined()
  })

  // Props the types reject, as JavaScript or a JSON config could still pass them.
  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown id', { provider: 'difi', baseUrl: '/api/voice/difi' }, /no built-in provider "difi"/],
    ['fish, which has no id', { provider: 'fish', baseUrl: '/api/voice/fish' }, /@voicekit\/core\/fish/],
    ['no baseUrl', { provider: 'dify' }, /baseUrl/],
    ['a transport and an id', { transport, provider: 'dify', baseUrl: '/api/voice/dify' }, /not both/],
    ['neither', {}, /needs a transport/],
  ]
  test.each(invalid)('%s: a VoiceError invalid_request', async (_, props, message) => {
    const errors: unknown[] = []
    const Invalid = VoiceProvider as unknown as (props: Record<string, unknown>) => ReactNode
    render(
      <Catch onError={(error) => errors.push(error)}>
        <Suspense fallback={null}>
          <Invalid {...props}>
            <p>inside</p>
          </Invalid>
        </Suspense>
      </Catch>,
    )
    await waitFor(() => expect(errors.length).toBeGreaterThan(0))
    expect(errors[0]).toBeInstanceOf(VoiceError)
    expect(errors[0]).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message) })
    expect(screen.queryByText('inside')).toBeNull()
  })
})

class Catch extends Component<{ onError: (error: unknown) => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  override componentDidCatch(error: unknown) {
    this.props.onError(error)
  }
  override render() {
    return this.state.failed ? null : this.props.children
  }
}
