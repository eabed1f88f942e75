import { MiB, type ProviderDescriptor, type ProviderId } from './descriptor'

/** Dify app API. Errors: `{status, code, message}`. */
export const difyDescriptor: ProviderDescriptor = {
  id: 'dify',
  defaultBaseUrl: 'https://api.dify.ai/v1',
  endpoints: [
    { path: '/audio-to-text', operation: 'transcribe', maxBytes: 30 * MiB },
    { path: '/text-to-audio', operation: 'speak', maxBytes: 1 * MiB },
  ],
  errorBody: (status, message, code) => ({ status, code, message }),
}

/** Livepeer AI gateway. Errors: `{detail: {msg}}`. */
export const livepeerDescriptor: ProviderDescriptor = {
  id: 'livepeer',
  defaultBaseUrl: 'https://dream-gateway.livepeer.cloud',
  endpoints: [{ path: '/audio-to-text', operation: 'transcribe', maxBytes: 50 * MiB }],
  errorBody: (_status, message) => ({ detail: { msg: message } }),
}

/** Fish Audio. Errors: `{status, message}`. */
export const fishDescriptor: ProviderDescriptor = {
  id: 'fish',
  defaultBaseUrl: 'https://api.fish.audio',
  endpoints: [
    // The pages disagree (20 MB / 100 MB); the smaller figure is the safe one.
    { path: '/v1/asr', operation: 'transcribe', maxBytes: 20 * MiB },
    { path: '/v1/tts', operation: 'speak', maxBytes: 1 * MiB },
  ],
  errorBody: (status, message) => ({ status, message }),
}

/** OpenAI and the many self-hosted servers that speak its audio API. Errors: `{error: {...}}`. */
export const openaiDescriptor: ProviderDescriptor = {
  id: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  endpoints: [
    { path: '/audio/transcriptions', operation: 'transcribe', maxBytes: 25 * MiB },
    { path: '/audio/speech', operation: 'speak', maxBytes: 1 * MiB },
  ],
  errorBody: (status, message, code) => ({
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code },
  }),
}

export const providerDescriptors: Readonly<Record<ProviderId, ProviderDescriptor>> = {
  dify: difyDescriptor,
  livepeer: livepeerDescriptor,
  fish: fishDescriptor,
  openai: openaiDescriptor,
}
