import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const LIVEPEER_MAX_UPLOAD_BYTES = 50 * 1024 * 1024

/** Where the transport sends speech to text: the proxy routes it. */
export const LIVEPEER_TRANSCRIBE_PATH = '/audio-to-text'

/** Livepeer AI gateway. Errors: `{detail: {msg}}`. */
export const livepeerDescriptor: ProviderDescriptor = {
  id: 'livepeer',
  name: 'Livepeer',
  defaultBaseUrl: 'https://dream-gateway.livepeer.cloud',
  endpoints: [{ path: LIVEPEER_TRANSCRIBE_PATH, operation: 'transcribe', maxBytes: LIVEPEER_MAX_UPLOAD_BYTES }],
  auth: { header: 'authorization', prefix: 'Bearer ' },
  env: { apiKey: 'LIVEPEER_API_KEY', baseUrl: 'LIVEPEER_BASE_URL' },
  errorBody: (_status, message) => ({ detail: { msg: message } }),
}
