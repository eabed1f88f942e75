// The real-time proxies under test, as plain data (the workerd worker gets it as a JSON binding): each
// variant under its own basePath, with the limits small enough that a test reaches them by events.
import type { ProviderDescriptor } from '@voicekit/core/server'
import { createVoiceProxy } from '../handler'
import type { ProviderConfig, RelayOptions, VoiceProxyHandler, VoiceProxyOptions } from '../options'

/** A provider of the app's own with a socket (a path parameter, a query, a fixed query, a subprotocol) and a token route. */
export const liveDescriptor: ProviderDescriptor = {
  id: 'acme-live',
  name: 'Acme Live',
  defaultBaseUrl: 'https://live.acme-voice.invalid',
  endpoints: [],
  sockets: [
    {
      path: '/v1/live/{room}',
      operation: 'transcribe-stream',
      query: ['lang'],
      fixedQuery: { mode: 'listen' },
      maxFrameBytes: 64 * 1024,
      subprotocols: ['acme.v1'],
    },
  ],
  tokens: [{ path: '/v1/live-token', operation: 'token', maxBytes: 1024, fixedBody: { scope: 'listen' } }],
  auth: { header: 'x-acme-key', prefix: 'Key ' },
  errorBody: (status, message, code) => ({ fault: { status, code, message } }),
}

/** Each key holds a canary: no byte the browser receives may contain one. */
export const RT_KEYS = {
  openai: 'sk-openai-rt-KEYCANARY-5f1a',
  elevenlabs: 'xi-elevenlabs-rt-KEYCANARY-77c2',
  'acme-live': 'acme-rt-KEYCANARY-91d0',
} as const
export const RT_ORIGIN = 'https://app.example'
export const FRAME_CAP = 1024
export const BYTES_CAP = 4096
export const IDLE_MS = 200
export const SESSION_MS = 300
export const HANDSHAKE_MS = 300

type ProviderId = keyof typeof RT_KEYS

export interface RealtimeVariant {
  basePath: string
  providers: Partial<Record<ProviderId, ProviderConfig>>
  allowedOrigins?: string[]
  relay?: RelayOptions
  timeoutMs?: number
  /** The user gate: a `session=<name>` cookie, as an app would read its session. */
  userFromSession?: boolean
}

export interface RealtimeConfig {
  variants: RealtimeVariant[]
}

export function realtimeConfig(upstream: string, downPort: number): RealtimeConfig {
  const all = (): RealtimeVariant['providers'] => ({
    openai: { apiKey: RT_KEYS.openai, baseUrl: `${upstream}/openai` },
    elevenlabs: { apiKey: RT_KEYS.elevenlabs, baseUrl: `${upstream}/elevenlabs` },
    'acme-live': { apiKey: RT_KEYS['acme-live'], baseUrl: `${upstream}/acme-live` },
  })
  const origins = [RT_ORIGIN]
  return {
    variants: [
      { basePath: '/api/voice', providers: all(), allowedOrigins: origins },
      { basePath: '/user', providers: all(), allowedOrigins: origins, userFromSession: true },
      { basePath: '/frame', providers: all(), allowedOrigins: origins, relay: { maxFrameBytes: FRAME_CAP } },
      { basePath: '/bytes', providers: all(), allowedOrigins: origins, relay: { maxBytes: BYTES_CAP } },
      { basePath: '/idle', providers: all(), allowedOrigins: origins, relay: { idleTimeoutMs: IDLE_MS } },
      { basePath: '/short', providers: all(), allowedOrigins: origins, relay: { maxSessionMs: SESSION_MS } },
      // A handshake the provider never completes: timeoutMs bounds it.
      { basePath: '/slow', providers: all(), allowedOrigins: origins, timeoutMs: HANDSHAKE_MS },
      {
        basePath: '/down',
        providers: { openai: { apiKey: RT_KEYS.openai, baseUrl: `http://127.0.0.1:${downPort}/v1` } },
        allowedOrigins: origins,
      },
      // Keys left unset, as when `apiKey: process.env.OPENAI_API_KEY` finds nothing.
      { basePath: '/none', providers: { openai: { apiKey: undefined } }, allowedOrigins: origins },
      // The default origin policy: the host the browser addressed.
      { basePath: '/same-host', providers: all() },
    ],
  }
}

function sessionUser(request: Request): string | undefined {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')
  if (!match?.[1]) throw new Error('no session')
  return `user-${match[1]}`
}

export function realtimeOptions(variant: RealtimeVariant): VoiceProxyOptions {
  const { userFromSession, providers, ...rest } = variant
  const { 'acme-live': live, ...builtIn } = providers
  const options: VoiceProxyOptions = { ...rest, providers: builtIn, custom: [{ descriptor: liveDescriptor, ...live }] }
  return userFromSession ? { ...options, user: sessionUser } : options
}

export function realtimeHandlers(config: RealtimeConfig): VoiceProxyHandler[] {
  return config.variants.map((variant) => createVoiceProxy(realtimeOptions(variant)))
}
