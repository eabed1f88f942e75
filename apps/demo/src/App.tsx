import { useQuery } from '@tanstack/react-query'
import { loadSavedDictations } from '@voicekit/core'
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
import { type DemoSources, useStartup } from './startup'
import { useTheme } from './theme'

const SOURCES: DemoSources = { config: loadDemoConfig, engines: loadEngines, savedDictations: loadSavedDictations }

/** `sources`: where the page's startup data comes from (the dev server and IndexedDB unless a test says otherwise). */
export function App({ sources = SOURCES }: { sources?: DemoSources }) {
  const [theme, setTheme] = useTheme()
  const [choice, setChoice] = useState<ProviderChoice>('local')
  const startup = useStartup(sources)
  const transports = useQuery({
    queryKey: ['transports', choice],
    queryFn: () => transportsFor(choice),
    staleTime: Infinity,
  })
  // The local speech server's engines matter only while it is the provider.
  const engines = choice === 'local' ? startup.engines : null
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
      {/* What is under the tagline is shown once the startup data is all here: shown piece by piece, each
          late piece (the engine report's half line, five more providers, a saved dictation) pushed
          everything below it down, on a loaded machine seconds after the page looked ready. */}
      <main className="demo" aria-busy={!startup.ready}>
        <section className="demo-hero" aria-labelledby="hero-title" data-screenshot="intro">
          <h1 id="hero-title">voicekit</h1>
          <p className="demo-tagline">
            Voice for React apps: a microphone that turns speech into text, and speech that starts playing while it is
            still streaming in. In Chromium, Firefox and Safari, with your provider keys kept on your server.
          </p>
          <p className="demo-in-use" role="status">
            {startup.ready ? (
              <>
                <span className="demo-in-use__label">Provider in use:</span> <strong>{PROVIDER_LABELS[choice]}</strong>
                {choice === 'local' &&
                  (engines == null
                    ? null
                    : missing.length === 0
                      ? ' — the speech server that pnpm dev runs on this computer; every engine is ready.'
                      : ` — the speech server that pnpm dev runs on this computer; ${missing
                          .map((engine) => engine.program)
                          .join(', ')} not installed yet (see below).`)}
              </>
            ) : (
              'Loading the demo…'
            )}
          </p>
          {startup.ready && <ProviderSwitcher value={choice} onChange={setChoice} config={startup.config} />}
        </section>
        {startup.ready &&
          (transports.data ? (
            <VoiceProvider transport={transports.data.main} key={choice}>
              <DictateNote engines={engines} saved={startup.savedDictation} transport={transports.data.dictation} />
              <ReadAloud transport={transports.data.main} engines={engines} />
              <AssistantReply />
              <Timestamps transport={transports.data.timestamps} engines={engines} />
              <VoiceControls transport={transports.data.timestamps} />
            </VoiceProvider>
          ) : (
            <p role="status">Loading the {PROVIDER_LABELS[choice]} transport…</p>
          ))}
        {startup.ready && <WhatWorksHere />}
      </main>
    </>
  )
}
