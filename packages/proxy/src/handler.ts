// createVoiceProxy: a standard Fetch handler (Request → Response) that forwards the providers' known
// endpoints with the server's API key. It uses only Request, Response, fetch, streams and timers, so it
// runs unchanged on Node, in Next.js route handlers and on Workers runtimes. It holds no state.
// Policy lives in plan.ts; this file only puts the decision and the Fetch path together — and, where
// the runtime can hold a socket in a Fetch handler (Workers' WebSocketPair), the real-time relay.
import { createFetchPath } from './fetch-path'
import type { VoiceProxyHandler, VoiceProxyOptions } from './options'
import { createPolicy, type Policy } from './plan'
import { holdsSockets, isUpgrade, relayOnWorkers } from './relay/workers'

export { DEFAULT_BASE_PATH, DEFAULT_RELAY_LIMITS, DEFAULT_TIMEOUT_MS, ENVELOPE_ALLOWANCE } from './plan'

/** Where toNodeListener finds the handler's policy, to run plans on Node's own sockets. */
export const POLICY = Symbol.for('voicekit.proxy.policy')
/** Where toUpgradeListener finds the handler's policy (always there: the relay does not use `fetch` on Node). */
export const RELAY_POLICY = Symbol.for('voicekit.proxy.relay')

export function createVoiceProxy(options: VoiceProxyOptions): VoiceProxyHandler {
  const policy = createPolicy(options)
  const fetchUpstream = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init))
  const forward = createFetchPath(fetchUpstream, policy.fail)

  async function handle(request: Request): Promise<Response> {
    // A WebSocket on Workers is relayed here; elsewhere `decide` answers a socket route with 426.
    if (isUpgrade(request) && holdsSockets()) {
      const decision = await policy.decideUpgrade(request)
      return decision.kind === 'answer' ? decision.response : relayOnWorkers(request, decision.plan, fetchUpstream)
    }
    const decision = await policy.decide(request)
    return decision.kind === 'answer' ? decision.response : forward(request, decision.plan)
  }

  // An app-given fetch is honoured by the Fetch path only: the Node path would bypass it.
  const exposed: Policy | undefined = options.fetch ? undefined : policy
  return Object.assign(handle, { basePath: policy.basePath, [POLICY]: exposed, [RELAY_POLICY]: policy })
}
