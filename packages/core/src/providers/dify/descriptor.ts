import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const DIFY_MAX_UPLOAD_BYTES = 30 * 1024 * 1024

/** Dify app API. Errors: `{status, code, message}`. */
export const difyDescriptor: ProviderDescriptor = {
  id: 'dify',
  name: 'Dify',
  defaultBaseUrl: 'https://api.dify.ai/v1',
  endpoints: [
    { path: '/audio-to-text', operation: 'transcribe', maxBytes: DIFY_MAX_UPLOAD_BYTES },
    { path: '/text-to-audio', operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  auth: { header: 'authorization', prefix: 'Bearer ' },
  endUserField: 'user',
  env: { apiKey: 'DIFY_API_KEY', baseUrl: 'DIFY_BASE_URL' },
  // Dify's own answer when no model provider credentials exist.
  notConfigured: {
    status: 400,
    providerCode: 'provider_not_initialize',
    message: (hint) =>
      `No valid model provider credentials found: the Dify API key is not configured on this server (${hint}).`,
  },
  errorBody: (status, message, code) => ({ status, code, message }),
}
