import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024

/** OpenAI and the many self-hosted servers that speak its audio API. Errors: `{error: {...}}`. */
export const openaiDescriptor: ProviderDescriptor = {
  id: 'openai',
  name: 'OpenAI-compatible',
  defaultBaseUrl: 'https://api.openai.com/v1',
  endpoints: [
    { path: '/audio/transcriptions', operation: 'transcribe', maxBytes: OPENAI_MAX_UPLOAD_BYTES },
    { path: '/audio/speech', operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  auth: { header: 'authorization', prefix: 'Bearer ' },
  env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  errorBody: (status, message, code) => ({
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code },
  }),
}
