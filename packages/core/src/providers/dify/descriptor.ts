import type { ProviderDescriptor } from '../descriptor'

/** Dify app API. Errors: `{status, code, message}`. */
export const difyDescriptor: ProviderDescriptor = {
  id: 'dify',
  defaultBaseUrl: 'https://api.dify.ai/v1',
  endpoints: [
    { path: '/audio-to-text', operation: 'transcribe', maxBytes: 30 * 1024 * 1024 },
    { path: '/text-to-audio', operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  errorBody: (status, message, code) => ({ status, code, message }),
}
