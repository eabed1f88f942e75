// Server rendering (what Next.js does with a Server Component's client children): a VoiceProvider given a
// provider id holds the HTML until its transport is made, so the page arrives with its content, not a gap.
import { renderToReadableStream } from 'react-dom/server'
import { expect, test } from 'vitest'
import { useVoiceContext, VoiceProvider } from '.'

function Provider() {
  return <output>{useVoiceContext().transport.provider}</output>
}

test('renders its children on the server once the registry is in, with no Suspense boundary of the app', async () => {
  const stream = await renderToReadableStream(
    <main>
      <VoiceProvider provider="elevenlabs" baseUrl="/api/voice/elevenlabs">
        <Provider />
      </VoiceProvider>
    </main>,
  )
  const html = await new Response(stream).text()
  expect(html).toBe('<main><output>elevenlabs</output></main>')
})
