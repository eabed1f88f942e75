import type { ProviderDescriptor } from '../descriptor'

/** Scribe takes files "less than 3.0 GB"; the transport checks it before sending. */
export const ELEVENLABS_MAX_UPLOAD_BYTES = 3_000_000_000

// Where each operation goes: the proxy routes these templates, the transport fills them.
export const ELEVENLABS_TRANSCRIBE_PATH = '/v1/speech-to-text'
export const ELEVENLABS_SPEAK_PATH = '/v1/text-to-speech/{voice_id}/stream'

/** ElevenLabs: streamed text to speech and Scribe speech to text. Errors: `{detail: {status, message}}`. */
export const elevenlabsDescriptor: ProviderDescriptor = {
  id: 'elevenlabs',
  name: 'ElevenLabs',
  defaultBaseUrl: 'https://api.elevenlabs.io',
  endpoints: [
    { path: ELEVENLABS_TRANSCRIBE_PATH, operation: 'transcribe', maxBytes: ELEVENLABS_MAX_UPLOAD_BYTES },
    {
      path: ELEVENLABS_SPEAK_PATH,
      operation: 'speak',
      maxBytes: 1 * 1024 * 1024,
      query: ['output_format'],
    },
  ],
  auth: { header: 'xi-api-key' },
  env: { apiKey: 'ELEVENLABS_API_KEY', baseUrl: 'ELEVENLABS_BASE_URL' },
  errorBody: (_status, message, code) => ({ detail: { status: code, message } }),
}
