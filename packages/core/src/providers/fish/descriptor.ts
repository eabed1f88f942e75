import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const FISH_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

// Where each operation goes: the proxy routes these, the transport sends to them.
export const FISH_TRANSCRIBE_PATH = '/v1/asr'
export const FISH_SPEAK_PATH = '/v1/tts'

/** Fish Audio. Errors: `{status, message}`. No msgpackr here: the proxy imports this. */
export const fishDescriptor: ProviderDescriptor = {
  id: 'fish',
  name: 'Fish Audio',
  defaultBaseUrl: 'https://api.fish.audio',
  endpoints: [
    // The pages disagree (20 MB / 100 MB); the smaller figure is the safe one.
    { path: FISH_TRANSCRIBE_PATH, operation: 'transcribe', maxBytes: FISH_MAX_UPLOAD_BYTES },
    { path: FISH_SPEAK_PATH, operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  auth: { header: 'authorization', prefix: 'Bearer ' },
  // Fish's text-to-speech takes the model as a header.
  requestHeaders: ['model'],
  env: { apiKey: 'FISH_API_KEY', baseUrl: 'FISH_BASE_URL' },
  errorBody: (status, message) => ({ status, message }),
}
