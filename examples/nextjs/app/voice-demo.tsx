'use client'
import { createDifyTransport } from '@voicekit/core'
import { useSpeak, VoiceProvider } from '@voicekit/react'
import { VoiceInput } from '@voicekit/ui'
import { useMemo, useState } from 'react'

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

export function VoiceDemo({ baseUrl, title }: { baseUrl: string; title: string }) {
  const transport = useMemo(() => createDifyTransport({ baseUrl }), [baseUrl])
  return (
    <VoiceProvider transport={transport}>
      <h1>{title}</h1>
      <VoiceInput aria-label="Message" />
      <Speak />
    </VoiceProvider>
  )
}
