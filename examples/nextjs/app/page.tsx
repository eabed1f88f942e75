import { VoicePage } from './voice-page'

export default function Page() {
  return <VoicePage baseUrl="/api/voice/dify" title="voicekit + Next.js (Node runtime)" />
}
