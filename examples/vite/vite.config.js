import react from '@vitejs/plugin-react'
import { voiceProxy } from '@voicekit/proxy/vite'
import { defineConfig } from 'vite'

// The proxy runs inside `vite` and `vite preview`; the key stays in this process.
export default defineConfig({
  plugins: [
    react(),
    voiceProxy({ providers: { dify: { apiKey: process.env.DIFY_API_KEY, baseUrl: process.env.DIFY_BASE_URL } } }),
  ],
})
