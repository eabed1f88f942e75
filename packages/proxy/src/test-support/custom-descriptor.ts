// A provider of the app's own, as a user would write it: its own auth header, a path parameter, an
// allowed query parameter, an extra request header, an end-user field and its own error shape.
import type { ProviderDescriptor } from '@voicekit/core'

export const customDescriptor: ProviderDescriptor = {
  id: 'acme-voice',
  name: 'Acme Voice',
  defaultBaseUrl: 'https://api.acme-voice.invalid',
  endpoints: [
    { path: '/v2/voices/{voice_id}/speak', operation: 'speak', maxBytes: 64 * 1024, query: ['format', 'speed'] },
    { path: '/v2/listen', operation: 'transcribe', maxBytes: 2 * 1024 * 1024 },
  ],
  auth: { header: 'x-acme-key', prefix: 'Key ' },
  requestHeaders: ['x-acme-model'],
  endUserField: 'customer',
  env: { apiKey: 'ACME_VOICE_KEY' },
  notConfigured: {
    status: 412,
    providerCode: 'acme_no_key',
    message: (hint) => `Acme Voice needs a key (${hint}).`,
  },
  errorBody: (status, message, code) => ({ fault: { status, code, message } }),
}

/** A value for each parameter of a path template: `/v2/voices/{voice_id}/speak` → `/v2/voices/voice_1/speak`. */
export const filled = (path: string, value = 'voice_1') => path.replace(/\{[^}]+\}/g, value)
