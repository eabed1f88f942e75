import type { ProviderDescriptor } from '../descriptor'

/** Livepeer AI gateway. Errors: `{detail: {msg}}`. */
export const livepeerDescriptor: ProviderDescriptor = {
  id: 'livepeer',
  defaultBaseUrl: 'https://dream-gateway.livepeer.cloud',
  endpoints: [{ path: '/audio-to-text', operation: 'transcribe', maxBytes: 50 * 1024 * 1024 }],
  errorBody: (_status, message) => ({ detail: { msg: message } }),
}
