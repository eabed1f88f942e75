// The real-time relay and token routes in Vite: a real dev server (HMR on, its socket on the same port)
// with one voiceProxy plugin per variant — each leaving the others' upgrades alone — and the preview server.
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { mustOpen } from './test-support/realtime-client'
import { RT_ORIGIN, realtimeConfig } from './test-support/realtime-config'
import { type RunningHost, viteRealtimeHost } from './test-support/realtime-hosts'
import { defineRealtimeSuite } from './test-support/realtime-suite'
import { type SocketUpstream, startSocketUpstream } from './test-support/realtime-upstream'
import { closedPort, waitFor } from './test-support/upstream'
import { voiceProxy } from './vite'

describe('real time in a Vite dev server', () => defineRealtimeSuite(viteRealtimeHost('dev')))

describe('Vite: the relay beside the rest', () => {
  let upstream: SocketUpstream
  beforeAll(async () => {
    upstream = await startSocketUpstream()
  })
  afterAll(() => upstream.close())

  test("the dev server's own HMR socket still connects, on the same port, beside the relay", async () => {
    const { createServer } = await import('vite')
    const vite = await createServer({
      configFile: false,
      root: import.meta.dirname,
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1', strictPort: false },
      plugins: [voiceProxy({ providers: { openai: { apiKey: 'sk-vite', baseUrl: `${upstream.url}/openai` } } })],
    })
    await vite.listen()
    try {
      if (!vite.httpServer) throw new Error('the dev server has no HTTP server')
      const { port } = vite.httpServer.address() as AddressInfo
      const token = (vite.config as { webSocketToken?: string }).webSocketToken
      const hmr = new WebSocket(`ws://127.0.0.1:${port}/?token=${token}`, ['vite-hmr'])
      const first = await new Promise<string>((resolve, reject) => {
        hmr.once('message', (data) => resolve(data.toString()))
        hmr.once('error', reject)
      })
      expect(JSON.parse(first).type).toBe('connected')
      hmr.close()
      const before = upstream.sessions.length
      const relayed = await mustOpen(`http://127.0.0.1:${port}/api/voice/openai/realtime`, {
        origin: `http://127.0.0.1:${port}`,
        protocols: ['realtime'],
      })
      await waitFor(() => upstream.sessions.length > before, 5_000, 'the upstream session')
      expect(upstream.sessions[before]?.headers.authorization).toBe('Bearer sk-vite')
      relayed.ws.close(1000)
      await relayed.closed
    } finally {
      await vite.close()
    }
  }, 30_000)

  describe('the preview server relays too', () => {
    let preview: RunningHost
    beforeAll(async () => {
      preview = await viteRealtimeHost('preview').start(realtimeConfig(upstream.url, await closedPort()))
    }, 30_000)
    afterAll(() => preview?.close())

    test('a session opens with the key and echoes both ways; a foreign origin is refused', async () => {
      const before = upstream.sessions.length
      const socket = await mustOpen(`${preview.url}/api/voice/acme-live/v1/live/preview`, { origin: RT_ORIGIN })
      socket.ws.send('ping')
      expect((await socket.next()).data.toString()).toBe('ping')
      expect(upstream.sessions[before]?.headers['x-acme-key']).toMatch(/^Key acme-rt-/)
      socket.ws.close(1000, 'bye')
      expect(await upstream.sessions[before]?.whenClosed).toEqual({ code: 1000, reason: 'bye' })
      const foreign = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${preview.url.replace('http', 'ws')}/api/voice/openai/realtime`, {
          origin: 'https://evil.example',
        })
        ws.on('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0)
          response.resume()
        })
        ws.on('error', () => {})
      })
      expect(foreign).toBe(403)
    })
  })
})
