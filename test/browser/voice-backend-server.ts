import { createVoiceProxy, toNodeListener } from '@voicekit/proxy'
import { startSpeechServer } from '../../apps/speech-server/src/server.ts'

/** The local speech server with faults on, and the proxy in front of it. */
export async function startVoiceBackend(basePath: string) {
  const speech = await startSpeechServer({ port: 0, faults: true })
  const at = (path: string) => ({ apiKey: speech.apiKey, baseUrl: `${speech.url}${path}` })
  const proxy = createVoiceProxy({
    basePath,
    providers: { dify: at('/dify/v1'), livepeer: at('/livepeer'), fish: at('/fish'), openai: at('/openai/v1') },
    forwardHeaders: ['x-speech-fault'],
  })
  return { listener: toNodeListener(proxy), close: () => speech.close() }
}
