import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024

// Where each operation goes: the proxy routes these, the transport sends to them. Plain strings, not an
// object: a property read would keep the whole descriptor in a browser bundle.
export const OPENAI_TRANSCRIBE_PATH = '/audio/transcriptions'
export const OPENAI_SPEAK_PATH = '/audio/speech'

/** OpenAI and the many self-hosted servers that speak its audio API. Errors: `{error: {...}}`. */
export const openaiDescriptor: ProviderDescriptor = {
  id: 'openai',
  name: 'OpenAI-compatible',
  defaultBaseUrl: 'https://api.openai.com/v1',
  endpoints: [
    { path: OPENAI_TRANSCRIBE_PATH, operation: 'transcribe', maxBytes: OPENAI_MAX_UPLOAD_BYTES },
    { path: OPENAI_SPEAK_PATH, operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  auth: { header: 'authorization', prefix: 'Bearer ' },
  env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  errorBody: (status, message, code) => ({
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code },
  }),
}
