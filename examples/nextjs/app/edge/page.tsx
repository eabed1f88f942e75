import { VoiceDemo } from '../voice-demo'

export default function Page() {
  return <VoiceDemo baseUrl="/edge/api/voice/dify" title="voicekit + Next.js (edge runtime)" />
}
