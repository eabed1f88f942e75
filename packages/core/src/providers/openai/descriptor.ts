import type { ProviderDescriptor } from '../descriptor'

/** The largest upload the transcribe endpoint accepts (the transport checks it before sending). */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024

// Where each operation goes: the proxy routes these, the transport sends to them. Plain strings, not an
// object: a property read would keep the whole descriptor in a browser bundle.
export const OPENAI_TRANSCRIBE_PATH = '/audio/transcriptions'
export const OPENAI_SPEAK_PATH = '/audio/speech'
/** The Realtime socket (`wss://api.openai.com/v1/realtime`), relayed in transcription mode only. */
export const OPENAI_REALTIME_PATH = '/realtime'
/** Mints an ephemeral client secret (`ek_…`) for a browser that connects to the Realtime socket itself. */
export const OPENAI_CLIENT_SECRETS_PATH = '/realtime/client_secrets'

/**
 * Largest Realtime message either way: an `input_audio_buffer.append` carries at most 15 MiB of audio,
 * plus the JSON around it.
 */
export const OPENAI_MAX_FRAME_BYTES = 16 * 1024 * 1024

/** OpenAI and the many self-hosted servers that speak its audio API. Errors: `{error: {...}}`. */
export const openaiDescriptor: ProviderDescriptor = {
  id: 'openai',
  name: 'OpenAI-compatible',
  defaultBaseUrl: 'https://api.openai.com/v1',
  endpoints: [
    { path: OPENAI_TRANSCRIBE_PATH, operation: 'transcribe', maxBytes: OPENAI_MAX_UPLOAD_BYTES },
    { path: OPENAI_SPEAK_PATH, operation: 'speak', maxBytes: 1 * 1024 * 1024 },
  ],
  sockets: [
    {
      path: OPENAI_REALTIME_PATH,
      operation: 'transcribe-stream',
      // `model`, `call_id` and `intent` are mutually exclusive; the server writes `intent` and takes no other.
      fixedQuery: { intent: 'transcription' },
      maxFrameBytes: OPENAI_MAX_FRAME_BYTES,
      subprotocols: ['realtime'],
    },
  ],
  tokens: [
    {
      path: OPENAI_CLIENT_SECRETS_PATH,
      operation: 'token',
      maxBytes: 16 * 1024,
      // A transcription session only, usable to open a socket for two minutes (each socket fetches its own);
      // the browser configures the session over the socket (`session.update`).
      fixedBody: { expires_after: { anchor: 'created_at', seconds: 120 }, session: { type: 'transcription' } },
    },
  ],
  auth: { header: 'authorization', prefix: 'Bearer ' },
  env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  errorBody: (status, message, code) => ({
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code },
  }),
}
