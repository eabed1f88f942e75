import type { BuiltInProviderId, ProviderDescriptor } from '@voicekit/core/server'

/** One provider's server-side settings. */
export interface ProviderConfig {
  /** The API key, sent upstream as the descriptor says (`Authorization: Bearer <key>`, `xi-api-key: <key>`...). It never reaches the browser. */
  apiKey?: string | undefined
  /**
   * The provider's API root, without a trailing slash (default: the provider's public API). A provider
   * with a `baseUrl` but no `apiKey` (a self-hosted server without auth) is forwarded without a key.
   */
  baseUrl?: string | undefined
  /** Largest accepted request body for this provider's endpoints, overriding `maxUploadBytes`. */
  maxUploadBytes?: number | undefined
}

/**
 * The built-in providers' settings, by id: `dify`, `livepeer`, `fish`, `openai`, `elevenlabs`. A misspelt id
 * is a type error (and a TypeError when the proxy is created); a provider of the app's own goes in `custom`.
 */
export type BuiltInProviderConfigs = { readonly [Id in BuiltInProviderId]?: ProviderConfig | undefined }

/** A provider of the app's own: its descriptor and the server's settings for it. */
export interface CustomProviderConfig extends ProviderConfig {
  /**
   * Checked when the proxy is created (id, path templates, header names). One with a built-in's id takes the
   * built-in's place (then leave that id out of `providers`).
   */
  readonly descriptor: ProviderDescriptor
}

/**
 * Which browser origins may call the proxy:
 * - unset (default): only pages on the proxy's own host (Origin host === request host);
 * - `'*'`: any origin;
 * - a list of origins (`'https://app.example'`) or a predicate.
 * Requests without an Origin header (server to server, curl) are always let through: the check guards
 * against other web sites spending your quota through your visitors' browsers; it is not authentication.
 */
export type AllowedOrigins = '*' | readonly string[] | ((origin: string) => boolean)

// The default check compares Origin with the host the browser addressed: the Host header (Next.js
// passes it through while its `request.url` always says localhost), or, with `trustForwardedHeaders`,
// what the reverse proxy in front says in X-Forwarded-Host and X-Forwarded-Proto.

/** Limits of a relayed real-time socket (a session): each ends it with its own close code. */
export interface RelayOptions {
  /** Longest session, in milliseconds (default 3 600 000: OpenAI's own limit is 60 minutes). Past it: 4410. */
  maxSessionMs?: number
  /**
   * Most bytes a session carries, messages both ways counted together (default 256 MiB: an hour of
   * 24 kHz PCM16 as base64 JSON is about 230 MB). Past it: 4413.
   */
  maxBytes?: number
  /**
   * Longest time with no message in either direction, in milliseconds (default 60 000). A browser that
   * streams audio keeps the session alive through a long pause in speech, when the provider says
   * nothing; a session where neither side says anything is closed with 4408.
   */
  idleTimeoutMs?: number
  /** Largest message either way, for every socket (default: each socket endpoint's `maxFrameBytes`). Past it: 1009. */
  maxFrameBytes?: number
}

export interface VoiceProxyOptions {
  /** Where the routes live: `{basePath}/{provider}/{endpoint}`. Default `/api/voice`. */
  basePath?: string
  /**
   * The built-in providers this server forwards to, by id. A provider left out answers its own
   * "not initialized" error.
   */
  providers?: BuiltInProviderConfigs
  /**
   * Providers of the app's own, each a descriptor with its settings, served beside the built-in ones at
   * `{basePath}/{descriptor.id}/...`. Two with one id, or one whose id is also set in `providers`, are refused.
   */
  custom?: readonly CustomProviderConfig[]
  /**
   * Largest request body, counted while it streams (default: each endpoint's limit from the provider
   * descriptor, plus 64 KiB of multipart envelope). A declared Content-Length above it is refused at
   * once; a body that grows past it is cut off and the upstream request aborted. Answered 413.
   */
  maxUploadBytes?: number
  allowedOrigins?: AllowedOrigins
  /**
   * Set it when a reverse proxy in front of this server (nginx, a load balancer, a CDN) sets
   * `X-Forwarded-Host` and `X-Forwarded-Proto` and overwrites whatever the client sent in them. The
   * default origin check then compares the page's origin with that host and scheme instead of the
   * Host header. Leave it unset otherwise: without such a proxy, the client writes those headers.
   * Default false.
   */
  trustForwardedHeaders?: boolean
  /**
   * Longest silence tolerated, in milliseconds (default 60 000): while the upload streams, then while
   * waiting for the provider's response headers (past it: 504 `timeout`), then between response body
   * chunks (past it: the response stream is cut and the client sees a truncated body, an error).
   */
  timeoutMs?: number
  /**
   * Who the end user is, decided by the server (a session lookup, say), for providers whose descriptor
   * names an `endUserField` (Dify's `user`). When set, the proxy writes that field itself (a multipart
   * part, or the field of a JSON body) and drops whatever the browser sent in it. Return `undefined` to
   * send none; throw to refuse the request (answered 401 in the provider's shape). When set, it is also
   * called as a gate for every token request and real-time socket (its value unused there): a throw
   * refuses them with 401 before the provider is contacted.
   */
  user?: (request: Request) => string | undefined | Promise<string | undefined>
  /**
   * Extra request headers forwarded as they are, on top of content-type, accept (and the descriptor's own):
   * a tracing header, say, or the local speech server's `x-speech-fault` in tests. Names that carry
   * credentials, addressing or connection state (authorization, cookie, host, content-length, hop-by-hop,
   * proxy-*, forwarded, x-forwarded-*, origin, referer) are refused when the proxy is created.
   */
  forwardHeaders?: readonly string[]
  /**
   * Limits of the real-time relay (toUpgradeListener on Node, the Vite plugin, the Fetch handler on
   * Workers). The provider's socket handshake is bounded by `timeoutMs`.
   */
  relay?: RelayOptions
  /**
   * The fetch used to reach the providers (default: the global fetch): HTTP routes, token routes, and the
   * relay's upstream socket on Workers. The Node relay opens its sockets with `ws`, without it.
   */
  fetch?: (input: string, init: RequestInit) => Promise<Response>
}

/** A standard Fetch handler; `basePath` lets `toNodeListener` pass other paths on to `next()`. */
export type VoiceProxyHandler = ((request: Request) => Promise<Response>) & { readonly basePath: string }
