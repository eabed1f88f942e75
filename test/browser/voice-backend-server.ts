import { createVoiceProxy, toNodeListener } from '@voicekit/proxy'
import { startSpeechServer } from '../../apps/speech-server/src/server.ts'

/** The local speech server with faults on, and the proxy in front of it for every provider it speaks. */
export async function startVoiceBackend(basePath: string) {
  const speech = await startSpeechServer({ port: 0, faults: true })
  const providers = Object.fromEntries(
    speech.providers.map(({ id, base }) => [id, { apiKey: speech.apiKey, baseUrl: `${speech.url}${base}` }]),
  )
  const proxy = createVoiceProxy({ basePath, providers, forwardHeaders: ['x-speech-fault'] })
  return { listener: toNodeListener(proxy), close: () => speech.close() }
}
