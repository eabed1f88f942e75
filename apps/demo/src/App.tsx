import { CapabilityReport } from '@voicekit/ui'

export function App() {
  return (
    <main className="demo">
      <header>
        <h1>voicekit</h1>
        <p>Voice input and playback for React, with the provider keys kept on your server.</p>
      </header>
      <CapabilityReport />
    </main>
  )
}
