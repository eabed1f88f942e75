import { VoicePage } from '../voice-page'

export default function Page() {
  return <VoicePage baseUrl="/edge/api/voice/dify" title="voicekit + Next.js (edge runtime)" />
}
