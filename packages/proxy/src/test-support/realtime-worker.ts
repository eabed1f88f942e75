// The workerd entry for the real-time tests: the variants of realtime-config.ts, the configuration
// arriving as a JSON binding. Each request goes to the variant whose basePath it is under.
// The whole main entry, as an app's Worker bundles it: it must load on workerd (its Node relay imports
// `ws` only when called, which never happens here).
import * as entry from '../index'
import { isBelow } from '../routes'
import { type RealtimeConfig, realtimeHandlers } from './realtime-config'

interface Env {
  CONFIG: string
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    if (typeof entry.toUpgradeListener !== 'function') throw new Error('the main entry did not load')
    const handlers = realtimeHandlers(JSON.parse(env.CONFIG) as RealtimeConfig)
    const { pathname } = new URL(request.url)
    const handler = handlers.find((candidate) => isBelow(pathname, candidate.basePath)) ?? handlers[0]
    if (!handler) throw new Error('no proxy configured')
    return handler(request)
  },
}
