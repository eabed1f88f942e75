import { useQuery } from '@tanstack/react-query'
import { VoiceProvider } from '@voicekit/react'
import { useState } from 'react'
import { ProviderSwitcher } from './ProviderSwitcher'
import { loadDemoConfig, PROVIDER_LABELS, type ProviderChoice, transportsFor } from './providers'
import {
  AssistantReply,
  DictateNote,
  NAVIGATION,
  ReadAloud,
  Timestamps,
  VoiceControls,
  WhatWorksHere,
} from './sections'
import { loadEngines } from './speech-engines'
import { useTheme } from './theme'

export function App() {
  const [theme, setTheme] = useTheme()
  const [choice, setChoice] = useState<ProviderChoice>('local')
  const config = useQuery({ queryKey: ['demo-config'], queryFn: loadDemoConfig })
  const engineReport = useQuery({ queryKey: ['demo-engines'], queryFn: loadEngines })
  const transports = useQuery({
    queryKey: ['transports', choice],
    queryFn: () => transportsFor(choice),
    staleTime: Infinity,
  })
  // The local speech server's engines matter only while it is the provider.
  const engines = choice === 'local' ? engineReport.data : null
  const missing = engines?.engines.filter((engine) => !engine.ready) ?? []
  return (
    <>
      <a className="demo-skip" href="#dictation">
        Skip to the demo
      </a>
      <header className="demo-bar">
        <span className="demo-brand">voicekit</span>
        <nav aria-label="Sections">
          <ul>
            {NAVIGATION.map((entry) => (
              <li key={entry.id}>
                <a href={`#${entry.id}`}>{entry.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          className="demo-theme"
          aria-pressed={theme === 'dark'}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          Dark theme
        </button>
      </header>
      <main className="demo">
        <section className="demo-hero" aria-labelledby="hero-title" data-screenshot="intro">
          <h1 id="hero-title">voicekit</h1>
          <p className="demo-tagline">
            Voice for React apps: a microphone that turns speech into text, and speech that starts playing while it is
            still streaming in. In Chromium, Firefox and Safari, with your provider keys kept on your server.
          </p>
          <p className="demo-in-use" role="status">
            <span className="demo-in-use__label">Provider in use:</span> <strong>{PROVIDER_LABELS[choice]}</strong>
            {choice === 'local' &&
              (engines === undefined
                ? null
                : missing.length === 0
                  ? ' — the speech server that pnpm dev runs on this computer; every engine is ready.'
                  : ` — the speech server that pnpm dev runs on this computer; ${missing
                      .map((engine) => engine.program)
                      .join(', ')} not installed yet (see below).`)}
          </p>
          <ProviderSwitcher value={choice} onChange={setChoice} config={config.data} />
        </section>
        {transports.data ? (
          <VoiceProvider transport={transports.data.main} key={choice}>
            <DictateNote engines={engines} />
            <ReadAloud transport={transports.data.main} engines={engines} />
            <AssistantReply />
            <Timestamps transport={transports.data.timestamps} engines={engines} />
            <VoiceControls transport={transports.data.timestamps} />
          </VoiceProvider>
        ) : (
          <p role="status">Loading the {PROVIDER_LABELS[choice]} transport…</p>
        )}
        <WhatWorksHere />
      </main>
    </>
  )
}
