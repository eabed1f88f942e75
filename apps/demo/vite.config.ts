import react from '@vitejs/plugin-react'
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite'
import { demoBackend } from './dev/voice-backend-plugin.ts'

export default defineConfig({
  plugins: [react(), demoBackend()],
  // The demo runs on the packages' sources, so edits show without a build.
  resolve: { conditions: ['@voicekit/source', ...defaultClientConditions] },
  ssr: {
    resolve: { conditions: ['@voicekit/source', ...defaultServerConditions], externalConditions: ['@voicekit/source'] },
  },
  server: { host: '127.0.0.1', port: 5173 },
})
