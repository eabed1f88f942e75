// Every provider wire format the server speaks, by path prefix: one line per provider.
import type { Provider, Route } from '../types.ts'
import { dify } from './dify.ts'
import { elevenlabs } from './elevenlabs.ts'
import { fish } from './fish.ts'
import { livepeer } from './livepeer.ts'
import { openai } from './openai.ts'

export const providers: Provider[] = [dify, livepeer, fish, openai, elevenlabs]

export const routePaths = providers.flatMap((p) => p.routes.map((r) => r.path))

/** Each provider's id and API root on this server, for wiring a proxy in front of it. */
export const providerBases = providers.map(({ id, base }) => ({ id, base }))

const SEGMENT = '[A-Za-z0-9_-]{1,128}'
const patterns = new Map<string, { regex: RegExp; names: string[] }>()

function compile(template: string) {
  let compiled = patterns.get(template)
  if (!compiled) {
    const names: string[] = []
    const source = template
      .split(/(\{[a-z_]+\})/)
      .map((part) => {
        const name = /^\{([a-z_]+)\}$/.exec(part)?.[1]
        if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(name)
        return `(${SEGMENT})`
      })
      .join('')
    compiled = { regex: new RegExp(`^${source}$`), names }
    patterns.set(template, compiled)
  }
  return compiled
}

/** The route a path names (exactly, or through its `{name}` parameters), with the parameters' values. */
export function matchRoute(
  provider: Provider,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of provider.routes) {
    const { regex, names } = compile(route.path)
    const match = regex.exec(path)
    if (match) return { route, params: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) }
  }
  return undefined
}
