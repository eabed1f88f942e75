import type { ProviderDescriptor } from '../descriptor'

/** Fish Audio. Errors: `{status, message}`. No msgpackr here: the proxy imports this. */
export const fishDescriptor: ProviderDescriptor = {
  id: 'fish',
  defaultBaseUrl: 'https://api.fish.audio',
  endpoints: [
    // The pages disagree (20 MB / 100 MB); the smaller figure is the safe one.
    { path: '/v1/asr', operation: 'transcribe', maxBytes: 20 * 1024 * 1024 },
    { path: '/v1/tts', operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  errorBody: (status, message) => ({ status, message }),
}
