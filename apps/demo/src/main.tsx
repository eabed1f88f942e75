import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@voicekit/ui/styles.css'
import './demo.css'
import { App } from './App'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
// The demo's own QueryClient: voicekit's requests run on it too (VoiceProvider finds it).
const queryClient = new QueryClient()
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
