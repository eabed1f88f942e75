import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const FISH_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

/** Fish Audio. Errors: `{status, message}`. No msgpackr here: the proxy imports this. */
export const fishDescriptor: ProviderDescriptor = {
  id: 'fish',
  name: 'Fish Audio',
  defaultBaseUrl: 'https://api.fish.audio',
  endpoints: [
    // The pages disagree (20 MB / 100 MB); the smaller figure is the safe one.
    { path: '/v1/asr', operation: 'transcribe', maxBytes: FISH_MAX_UPLOAD_BYTES },
    { path: '/v1/tts', operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  auth: { header: 'authorization', prefix: 'Bearer ' },
  // Fish's text-to-speech takes the model as a header.
  requestHeaders: ['model'],
  env: { apiKey: 'FISH_API_KEY', baseUrl: 'FISH_BASE_URL' },
  errorBody: (status, message) => ({ status, message }),
}
