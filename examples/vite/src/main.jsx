import { createDifyTransport } from '@voicekit/core'
import { useSpeak, VoiceProvider } from '@voicekit/react'
import { VoiceInput } from '@voicekit/ui'
import '@voicekit/ui/styles.css'
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'

const transport = createDifyTransport({ baseUrl: '/api/voice/dify' })

function Speak() {
  const { speak } = useSpeak()
  const [result, setResult] = useState('')
  const onClick = async () => setResult((await speak('Hello from voicekit.'))?.code ?? 'played')
  return (
    <p>
      <button type="button" onClick={onClick}>
        Speak
      </button>{' '}
      <output aria-label="Speech">{result}</output>
    </p>
  )
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <VoiceProvider transport={transport}>
      <h1>voicekit + Vite</h1>
      <VoiceInput aria-label="Message" />
      <Speak />
    </VoiceProvider>
  </StrictMode>,
)
