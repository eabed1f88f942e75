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
      const { listener } = await state.backend
      server.middlewares.use(listener)
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
