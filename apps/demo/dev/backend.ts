// The demo's server side, loaded by voice-backend-plugin.ts inside Vite's dev server:
// the local speech server (no keys needed) behind the proxy at /api/local, and the
// real providers whose keys are in .env behind the proxy at /api/voice.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createVoiceProxy, type ProviderConfig, toNodeListener } from '@voicekit/proxy'
import { type SpeechServer, startSpeechServer } from 'speech-server'

export type ProviderName = 'dify' | 'livepeer' | 'fish' | 'openai'
export const PROVIDERS: readonly ProviderName[] = ['dify', 'livepeer', 'fish', 'openai']

/** The environment variables that configure each real provider. */
export const PROVIDER_ENV: Record<ProviderName, { key: string; url: string }> = {
  dify: { key: 'DIFY_API_KEY', url: 'DIFY_BASE_URL' },
  livepeer: { key: 'LIVEPEER_API_KEY', url: 'LIVEPEER_BASE_URL' },
  fish: { key: 'FISH_API_KEY', url: 'FISH_BASE_URL' },
  openai: { key: 'OPENAI_API_KEY', url: 'OPENAI_BASE_URL' },
}

/** Where each provider's routes live on the local speech server. */
const LOCAL_PATHS: Record<ProviderName, string> = {
  dify: '/dify/v1',
  livepeer: '/livepeer',
  fish: '/fish',
  openai: '/openai/v1',
}

async function startLocalSpeechServer(port: number): Promise<SpeechServer> {
  try {
    return await startSpeechServer({ port })
  } catch (error) {
    // Another process holds the port (a second `pnpm dev`): any free port will do.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    return startSpeechServer({ port: 0 })
  }
}

export async function startDemoBackend(env: Record<string, string | undefined>) {
  const speech = await startLocalSpeechServer(Number(env.SPEECH_SERVER_PORT ?? 8787))
  const local = createVoiceProxy({
    basePath: '/api/local',
    providers: Object.fromEntries(
      PROVIDERS.map((name) => [name, { apiKey: speech.apiKey, baseUrl: `${speech.url}${LOCAL_PATHS[name]}` }]),
    ),
  })
  const configured = Object.fromEntries(
    PROVIDERS.flatMap((name): [ProviderName, ProviderConfig][] => {
      const apiKey = env[PROVIDER_ENV[name].key]
      const baseUrl = env[PROVIDER_ENV[name].url]
      return apiKey || baseUrl ? [[name, { apiKey, baseUrl }]] : []
    }),
  )
  const real = createVoiceProxy({ basePath: '/api/voice', providers: configured })
  // What the page may know: which providers are configured and which variable enables the others. No keys.
  const config = JSON.stringify({
    providers: PROVIDERS.map((name) => ({ name, configured: name in configured, env: PROVIDER_ENV[name].key })),
  })
  const listeners = [toNodeListener(local), toNodeListener(real)]
  const listener = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    if (req.url === '/api/demo-config') {
      res.setHeader('content-type', 'application/json')
      res.end(config)
      return
    }
    const run = (index: number) => {
      const handler = listeners[index]
      if (handler) handler(req, res, () => run(index + 1))
      else next()
    }
    run(0)
  }
  return { listener, speechServerUrl: speech.url, close: () => speech.close() }
}
