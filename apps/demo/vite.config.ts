import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // The demo runs on the packages' sources, so edits show without a build.
  resolve: { conditions: ['@voicekit/source', ...defaultClientConditions] },
  server: { host: '127.0.0.1', port: 5173 },
})
