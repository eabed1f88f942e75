import type { ProviderDescriptor } from '../descriptor'

/** Scribe takes files "less than 3.0 GB"; the transport checks it before sending. */
export const ELEVENLABS_MAX_UPLOAD_BYTES = 3_000_000_000

// Where each operation goes: the proxy routes these templates, the transport fills them.
export const ELEVENLABS_TRANSCRIBE_PATH = '/v1/speech-to-text'
export const ELEVENLABS_SPEAK_PATH = '/v1/text-to-speech/{voice_id}/stream'
/** Scribe realtime (`wss://api.elevenlabs.io/v1/speech-to-text/realtime`). */
export const ELEVENLABS_REALTIME_PATH = '/v1/speech-to-text/realtime'
/** Mints a single-use token (15 min) for a browser that connects to Scribe realtime itself (`?token=`). */
export const ELEVENLABS_REALTIME_TOKEN_PATH = '/v1/single-use-token/realtime_scribe'

/** The query parameters a relayed Scribe realtime socket may carry (never `token`: the server adds the key). */
export const ELEVENLABS_REALTIME_QUERY = [
  'model_id',
  'audio_format',
  'commit_strategy',
  'vad_silence_threshold_secs',
  'vad_threshold',
  'min_speech_duration_ms',
  'min_silence_duration_ms',
  'language_code',
  'include_timestamps',
  'include_language_detection',
] as const

/** ElevenLabs: streamed text to speech and Scribe speech to text. Errors: `{detail: {status, message}}`. */
export const elevenlabsDescriptor: ProviderDescriptor = {
  id: 'elevenlabs',
  name: 'ElevenLabs',
  defaultBaseUrl: 'https://api.elevenlabs.io',
  endpoints: [
    { path: ELEVENLABS_TRANSCRIBE_PATH, operation: 'transcribe', maxBytes: ELEVENLABS_MAX_UPLOAD_BYTES },
    {
      path: ELEVENLABS_SPEAK_PATH,
      operation: 'speak',
      maxBytes: 1 * 1024 * 1024,
      query: ['output_format'],
    },
  ],
  sockets: [
    {
      path: ELEVENLABS_REALTIME_PATH,
      operation: 'transcribe-stream',
      query: ELEVENLABS_REALTIME_QUERY,
      // Unconfirmed: ElevenLabs' own client sends ~11 KB chunks; a committed transcript with word
      // timestamps for 90 s of speech is tens of KB.
      maxFrameBytes: 1024 * 1024,
    },
  ],
  tokens: [{ path: ELEVENLABS_REALTIME_TOKEN_PATH, operation: 'token', maxBytes: 16 * 1024 }],
  auth: { header: 'xi-api-key' },
  env: { apiKey: 'ELEVENLABS_API_KEY', baseUrl: 'ELEVENLABS_BASE_URL' },
  errorBody: (_status, message, code) => ({ detail: { status: code, message } }),
}
