// The workerd entry: the proxy variants of config.ts, the configuration arriving as a JSON binding.
import { isBelow } from '../routes'
import { type HostConfig, handlersFor } from './config'

interface Env {
  CONFIG: string
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    const handlers = handlersFor(JSON.parse(env.CONFIG) as HostConfig)
    const { pathname } = new URL(request.url)
    const handler = handlers.find((candidate) => isBelow(pathname, candidate.basePath)) ?? handlers[0]
    if (!handler) throw new Error('no proxy configured')
    return handler(request)
  },
}
