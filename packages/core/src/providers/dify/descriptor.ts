import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const DIFY_MAX_UPLOAD_BYTES = 30 * 1024 * 1024

/** Dify app API. Errors: `{status, code, message}`. */
export const difyDescriptor: ProviderDescriptor = {
  id: 'dify',
  defaultBaseUrl: 'https://api.dify.ai/v1',
  endpoints: [
    { path: '/audio-to-text', operation: 'transcribe', maxBytes: DIFY_MAX_UPLOAD_BYTES },
    { path: '/text-to-audio', operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  errorBody: (status, message, code) => ({ status, code, message }),
}
