import { useQuery } from '@tanstack/react-query'
import { VoiceProvider } from '@voicekit/react'
import { CapabilityReport } from '@voicekit/ui'
import { useState } from 'react'
import { ProviderSwitcher } from './ProviderSwitcher'
import { loadDemoConfig, type ProviderChoice, transportsFor } from './providers'
import { Dictation, ReadAloud, TranscriptSection } from './sections'
import { useTheme } from './theme'

export function App() {
  const [theme, setTheme] = useTheme()
  const [choice, setChoice] = useState<ProviderChoice>('local')
  const config = useQuery({ queryKey: ['demo-config'], queryFn: loadDemoConfig })
  const transports = useQuery({
    queryKey: ['transports', choice],
    queryFn: () => transportsFor(choice),
    staleTime: Infinity,
  })
  return (
    <main className="demo">
      <header className="demo-header">
        <div>
          <h1>voicekit</h1>
          <p>Voice input and playback for React, with the provider keys kept on your server.</p>
        </div>
        <button
          type="button"
          className="demo-theme"
          aria-pressed={theme === 'dark'}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          Dark theme
        </button>
      </header>
      <ProviderSwitcher value={choice} onChange={setChoice} config={config.data} />
      {transports.data ? (
        <VoiceProvider transport={transports.data.main} key={choice}>
          <Dictation />
          <ReadAloud transport={transports.data.main} />
          <TranscriptSection transport={transports.data.timestamps} />
        </VoiceProvider>
      ) : (
        <p role="status">Loading the {choice} transport…</p>
      )}
      <CapabilityReport />
    </main>
  )
}
