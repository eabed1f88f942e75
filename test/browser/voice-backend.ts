// The real backend behind the browser tests: the local speech server (fault injection
// on) with @voicekit/proxy in front of it at /api/voice, mounted in each browser
// project's Vite server — same-origin, the setup an app has with `pnpm dev`.
// Tests reach it with `inject('voiceBaseUrl')`, e.g. createDifyTransport({ baseUrl:
// `${inject('voiceBaseUrl')}/dify` }), and can force failures with the speech
// server's `x-speech-fault` header, which this proxy (only this one) forwards.
//
// One backend serves the whole test process (a second copy of the speech server's
// MP3 encoder in the same process breaks the first). Its state lives on globalThis
// because Vitest loads this file more than once; the global setup below counts the
// projects using it and closes it after the last one.
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import type { startVoiceBackend } from './voice-backend-server.ts'

export const VOICE_BASE_PATH = '/api/voice'
/** POST a fault for the speech server's next real-time socket (its `/_faults/realtime` body); DELETE disarms all. */
export const REALTIME_FAULTS = '/__test/realtime-faults'
const serverModule = fileURLToPath(new URL('./voice-backend-server.ts', import.meta.url))

type Backend = Awaited<ReturnType<typeof startVoiceBackend>>
interface Shared {
  backend?: Promise<Backend>
  users: number
}
const shared = (): Shared => {
  const slot = globalThis as { [key: symbol]: Shared | undefined }
  const key = Symbol.for('voicekit.test-backend')
  slot[key] ??= { users: 0 }
  return slot[key]
}

export function voiceTestBackend(): Plugin {
  return {
    name: 'voicekit:test-backend',
    async configureServer(server) {
      const state = shared()
      // Loaded through the project's module graph, so the packages resolve to their
      // sources (the @voicekit/source condition) and nothing has to be built first.
      state.backend ??= server
        .ssrLoadModule(serverModule)
        .then((module) =>
          (module as { startVoiceBackend: typeof startVoiceBackend }).startVoiceBackend(VOICE_BASE_PATH),
        )
      const { listener, upgrade, speechUrl } = await state.backend
      // Tests arm the speech server's real-time faults through here (a browser socket carries no fault header).
      server.middlewares.use(REALTIME_FAULTS, (req, res) => {
        const parts: Buffer[] = []
        req.on('data', (chunk: Buffer) => parts.push(chunk))
        req.on('end', () => {
          fetch(`${speechUrl}/_faults/realtime`, {
            method: req.method ?? 'POST',
            headers: { 'content-type': 'application/json' },
            ...(req.method === 'POST' && { body: Buffer.concat(parts) }),
          }).then(
            async (answer) => {
              res.statusCode = answer.status
              res.end(await answer.text())
            },
            () => {
              res.statusCode = 502
              res.end()
            },
          )
        })
      })
      server.middlewares.use(listener)
      // Real-time transcription through the proxy's relay; upgrades outside the base path (Vitest's own
      // sockets, Vite's HMR) are left to their owners.
      server.httpServer?.on('upgrade', upgrade)
    },
  }
}

/** Vitest global setup for the browser projects. */
export function setup() {
  shared().users++
}

export async function teardown() {
  const state = shared()
  if (--state.users > 0) return
  const backend = state.backend
  state.backend = undefined
  await (await backend)?.close()
}
