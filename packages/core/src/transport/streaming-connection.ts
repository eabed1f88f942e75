// Where a provider transport's real-time socket goes, from its options: the relay below `baseUrl` by
// default, a `StreamingConnection` as given, or `{ token: true }`, the proxy's token route below `baseUrl`
// (an empty POST per socket: the server decides what the token allows; its JSON answer read by the
// provider). Part of the real-time chunk.
import { VoiceError } from '../errors'
import type { ErrorDecoder } from './decode'
import { joinUrl, readJson, request } from './http'
import type { StreamingConnection } from './streaming'
import type { StreamingConnectionOption } from './streaming-options'
import type { HttpTransportOptions } from './types'

export interface ConnectionRoutes {
  provider: string
  /** The transport's options: `baseUrl`, and the `headers`, `fetch`, `timeoutMs` the token request uses. */
  options: HttpTransportOptions
  /** The relay's path below `baseUrl`. */
  socketPath: string
  /** The token route's path below `baseUrl`. */
  tokenPath: string
  /** The token in the route's JSON answer. */
  readToken(body: unknown): unknown
  /** The provider's own socket URL, where a token connects by default. */
  providerUrl: string
  decodeError: ErrorDecoder
}

export function resolveConnection(
  option: StreamingConnectionOption | StreamingConnection | undefined,
  routes: ConnectionRoutes,
): StreamingConnection {
  if (!option) return { relay: joinUrl(routes.options.baseUrl, routes.socketPath) }
  if ('relay' in option) return { relay: option.relay }
  const url = option.url ?? routes.providerUrl
  if (option.token !== true) return { token: option.token, url }
  return { token: (signal) => fetchToken(routes, signal), url }
}

/** One POST to the token route per socket (tokens are single-use or short-lived). */
function fetchToken(routes: ConnectionRoutes, signal: AbortSignal | undefined): Promise<string> {
  const { provider } = routes
  return request({
    provider,
    options: routes.options,
    path: routes.tokenPath,
    body: '',
    signal,
    decodeError: routes.decodeError,
    read: async (response) => {
      const token = routes.readToken(await readJson(response, provider))
      if (typeof token === 'string' && token) return token
      throw new VoiceError('bad_response', `The ${provider} token route answered without a token`, {
        provider,
        status: response.status,
      })
    },
  })
}
