import { VoiceDemo } from './voice-demo'

export default function Page() {
  return <VoiceDemo baseUrl="/api/voice/dify" title="voicekit + Next.js (Node runtime)" />
}
