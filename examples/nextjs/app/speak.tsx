'use client'
import { useSpeak } from '@voicekit/react'
import { useState } from 'react'

// The app's own component with a hook, so a client component; it finds the page's VoiceProvider above it.
export function Speak() {
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
