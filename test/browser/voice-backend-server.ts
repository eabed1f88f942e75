import { createVoiceProxy, toNodeListener, toUpgradeListener } from '@voicekit/proxy'
import { startSpeechServer } from '../../apps/speech-server/src/server.ts'

/** The local speech server with faults on, and the proxy in front of it for every provider it speaks. */
export async function startVoiceBackend(basePath: string) {
  const speech = await startSpeechServer({ port: 0, faults: true })
  const providers = Object.fromEntries(
    speech.providers.map(({ id, base }) => [id, { apiKey: speech.apiKey, baseUrl: `${speech.url}${base}` }]),
  )
  const proxy = createVoiceProxy({ basePath, providers, forwardHeaders: ['x-speech-fault'] })
  return {
    listener: toNodeListener(proxy),
    // Real-time transcription: the proxy's relay, on the same server and base path.
    upgrade: toUpgradeListener(proxy),
    /** Arms a fault on the speech server's next real-time socket(s) (see its README: `/_faults/realtime`). */
    speechUrl: speech.url,
    close: () => speech.close(),
  }
}
