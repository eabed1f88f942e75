/**
 * What the server side needs to know about a provider, and nothing that touches the DOM or pulls in
 * an encoder: the proxy imports these, the transports reuse them. A descriptor is open: the built-in
 * providers are descriptors, and an app can write one of its own and hand it to the proxy.
 */

/**
 * A provider id: lowercase letters, digits and dashes (it is a path segment of the proxy's routes). The
 * built-in ones are `BuiltInProviderId`, read off the registry; descriptors of an app's own use any other.
 */
export type ProviderId = string

export interface ProviderEndpoint {
  /**
   * Path template below the provider's base URL, e.g. `/audio-to-text` or
   * `/v1/text-to-speech/{voice_id}/stream`; the proxy serves it at `{basePath}/{id}{path}`. A `{name}`
   * parameter matches exactly one path segment of `[A-Za-z0-9_-]{1,128}`; every other segment is
   * literal (`[A-Za-z0-9._~-]`, never `.` or `..`). The upstream URL is the base URL and this template
   * filled with the matched values, never the client's string.
   */
  readonly path: string
  readonly operation: 'transcribe' | 'speak'
  /** Largest request body the provider accepts on this endpoint. */
  readonly maxBytes: number
  /**
   * Query parameters the proxy lets through to the provider (names, exact), each at most once with a
   * plain value (`[A-Za-z0-9_.,:-]{1,256}`), re-encoded. Any other parameter is ignored. Default: none.
   */
  readonly query?: readonly string[]
}

/**
 * A real-time socket the proxy relays (a browser's WebSocket cannot carry the key in a header): the browser
 * connects to `{basePath}/{id}{path}`, the proxy opens the provider's socket with the key added and
 * passes messages both ways, keeping each one's type (text or binary).
 */
export interface ProviderSocketEndpoint {
  /**
   * Path template below the provider's base URL, with the same rules as an endpoint's. The upstream URL
   * is the base URL with `ws:`/`wss:` for `http:`/`https:`, and this template filled with the matched values.
   */
  readonly path: string
  readonly operation: 'transcribe-stream'
  /**
   * Query parameters the browser may set (names, exact), each at most once with a plain value
   * (`[A-Za-z0-9_.,:-]{1,256}`), re-encoded. Any other parameter is dropped. Never a credential (a token).
   */
  readonly query?: readonly string[]
  /**
   * Parameters the server always writes, whatever the browser sent (OpenAI's `intent=transcription`, so
   * that a relayed socket can never open a full conversation session). Names may not also be in `query`.
   */
  readonly fixedQuery?: Readonly<Record<string, string>>
  /** Largest message either way; a larger one closes the session with 1009. */
  readonly maxFrameBytes: number
  /**
   * Subprotocols a browser may offer that are passed upstream and may be echoed back (OpenAI's
   * `realtime`). Anything else a browser offers (a credential such as `openai-insecure-api-key.…`) is
   * dropped. Names that look like credentials are refused when the proxy is created.
   */
  readonly subprotocols?: readonly string[]
}

/**
 * A short-lived credential minted by the server, for a browser that connects to the provider's socket
 * itself (where the app's server cannot hold a socket: Next.js route handlers, serverless). A POST; the
 * browser's body is never forwarded: the server sends `fixedBody` (or none), so a browser cannot ask for
 * a broader session than the descriptor's.
 */
export interface ProviderTokenEndpoint {
  /** Path template below the provider's base URL, with the same rules as an endpoint's. */
  readonly path: string
  readonly operation: 'token'
  /** Largest request body the proxy accepts from the browser (it is read by no one). */
  readonly maxBytes: number
  /**
   * The JSON body the server sends upstream, as a value (OpenAI: a transcription session). Absent: an
   * empty POST (ElevenLabs' single-use token).
   */
  readonly fixedBody?: unknown
}

/** How the server sends the API key: `{ header: 'authorization', prefix: 'Bearer ' }`, `{ header: 'xi-api-key' }`. */
export interface ProviderAuth {
  /** Lower-case header name. */
  readonly header: string
  /** Written before the key, e.g. `'Bearer '` or `'Token '`. Default none. */
  readonly prefix?: string
}

/** The provider's own answer when the proxy has no key for it (Dify: 400 `provider_not_initialize`). */
export interface NotConfiguredAnswer {
  readonly status: number
  /** The provider-style code put in the body. */
  readonly providerCode: string
  /** The message; `hint` says which option or env variable to set. */
  message(hint: string): string
}

export interface ProviderDescriptor {
  /** The path segment of the proxy's routes (`/api/voice/{id}/...`). */
  readonly id: ProviderId
  /** Shown to people: "Dify", "ElevenLabs". */
  readonly name: string
  /** The provider's public API root; the proxy appends an endpoint path to it. */
  readonly defaultBaseUrl: string
  readonly endpoints: readonly ProviderEndpoint[]
  /** Real-time sockets the proxy relays (served where the platform can hold a socket). Default none. */
  readonly sockets?: readonly ProviderSocketEndpoint[]
  /** Token routes for browsers that connect to the provider themselves. Default none. */
  readonly tokens?: readonly ProviderTokenEndpoint[]
  /** How the server authenticates. */
  readonly auth: ProviderAuth
  /**
   * Request headers the provider needs besides content-type and accept (Fish's `model`), forwarded
   * from the browser as they are. Names that carry credentials or addressing are refused.
   */
  readonly requestHeaders?: readonly string[]
  /**
   * The body field that names the end user (Dify's `user`). When the proxy is given a `user`
   * resolver, it writes this field itself — a part of a multipart/form-data body (rewritten while it
   * streams), or a field of a JSON object body — and drops whatever the browser sent. Other bodies
   * are then refused with 400.
   */
  readonly endUserField?: string
  /** The env variables a server conventionally reads the key and base URL from (named in the not-configured hint). */
  readonly env?: { readonly apiKey: string; readonly baseUrl?: string }
  /** Answer when the proxy has neither key nor base URL for it; default 503 `provider_not_configured`. */
  readonly notConfigured?: NotConfiguredAnswer
  /**
   * A body in the provider's own error shape, so that a client decoding that
   * provider's errors also understands failures produced by the proxy itself.
   */
  errorBody(status: number, message: string, code: string): unknown
}

export const MiB = 1024 * 1024

/**
 * The proxy marks the failures it produces itself (timeout, unreachable upstream,
 * provider not configured, upload cut off) with this header, holding a VoiceError
 * code. A transport prefers it over guessing from the provider-shaped body.
 */
export const VOICE_ERROR_HEADER = 'x-voicekit-error'
