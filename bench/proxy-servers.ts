// The servers `pnpm bench proxy` puts between its client and the fake Dify upstream, each started in a
// process of its own by bench/proxy-child.ts. Every one does the same job as voicekit's route: forward
// `/api/voice/dify/<rest>` to `<upstream>/<rest>` (the upstream URL ends in /v1), with the key added as
// `authorization: Bearer bench-key`, request and answer bodies streamed.
//   bare      the floor: the fastest plain node:http forwarder found (bench/proxy-floor.ts)
//   node      voicekit, toNodeListener's Node path (node:http to node:http)
//   fetch     voicekit, toNodeListener with io: 'fetch' (Request → fetch → Response, as on Next.js)
//   hpm       http-proxy-middleware 4 (httpxy) on node:http
//   fastify   @fastify/reply-from on fastify (undici to the upstream), bodies passed through unparsed
//   hono      hono/proxy (the runtime's fetch) on @hono/node-server
//   floor:…   a variant of the floor (bench/proxy-floor.ts), to find which is fastest
//   node@source, fetch@source   voicekit run from its TypeScript sources through tsx (see below)
//   node@<rev>, fetch@<rev>     voicekit as it was at git revision <rev>, compiled the same way: the
//                               code before a change measured beside the code after it, in one run
//
// voicekit runs as it is published: @voicekit/proxy's sources compiled by the library build
// (scripts/library-config.ts) into node_modules/.cache (bench/proxy.ts does it before the servers start),
// as the peers run from their published JavaScript. Run from the sources through tsx, every function
// expression is wrapped in esbuild's keepNames helper (`__name`, an Object.defineProperty per closure
// made), which nothing published has: the Node path makes a dozen closures per request.
import { createServer, type Server } from 'node:http'
import { FLOOR, floorListener, floorOptions } from './proxy-floor.ts'

export const ROLES = ['bare', 'node', 'fetch', 'hpm', 'fastify', 'hono'] as const
type BaseRole = (typeof ROLES)[number] | `floor:${string}` | `node@${string}` | `fetch@${string}`
/** A role, or a replica of one (`node#2`: a second, identical process, to see how much two differ). */
export type Role = BaseRole | `${BaseRole}#${number}`

/** Where bench/proxy.ts put the compiled @voicekit/proxy (its index.js); for a revision, suffixed `_<rev>`. */
export const COMPILED_PROXY = 'PROXY_BENCH_COMPILED'
export const compiledAt = (rev?: string) =>
  rev ? `${COMPILED_PROXY}_${rev.replace(/[^A-Za-z0-9]/g, '_')}` : COMPILED_PROXY

const KEY = 'Bearer bench-key'
const PREFIX = '/api/voice/dify'

async function voicekit(upstream: string, io: 'node' | 'fetch', from: string): Promise<Server> {
  const compiled = process.env[compiledAt(from === 'compiled' ? undefined : from)]
  if (from !== 'source' && !compiled) throw new Error(`${compiledAt(from)} is not set (bench/proxy.ts sets it)`)
  const { createVoiceProxy, toNodeListener } = (await import(
    from === 'source' ? '@voicekit/proxy' : (compiled as string)
  )) as typeof import('@voicekit/proxy')
  const handler = createVoiceProxy({
    // The upload limit raised so that a 4× larger upload can show whether memory grows.
    providers: { dify: { apiKey: 'bench-key', baseUrl: upstream, maxUploadBytes: 256 * 1024 * 1024 } },
  })
  return createServer(toNodeListener(handler, { io }))
}

async function hpm(upstream: string): Promise<Server> {
  const { createProxyMiddleware } = await import('http-proxy-middleware')
  const middleware = createProxyMiddleware({
    target: upstream,
    changeOrigin: true,
    pathRewrite: { [`^${PREFIX}`]: '' },
    headers: { authorization: KEY },
  })
  return createServer((req, res) => {
    void middleware(req, res, () => {
      res.statusCode = 404
      res.end()
    })
  })
}

async function fastify(upstream: string): Promise<Server> {
  const { default: Fastify } = await import('fastify')
  const { default: replyFrom } = await import('@fastify/reply-from')
  const app = Fastify({ logger: false })
  // Bodies are streamed as they come (no JSON parse and re-stringify): what voicekit does.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
  await app.register(replyFrom, { base: new URL(upstream).origin, disableRequestLogging: true })
  const base = new URL(upstream).pathname
  app.post(`${PREFIX}/*`, (request, reply) => {
    const rest = (request.params as { '*': string })['*']
    return reply.from(`${base}/${rest}`, {
      rewriteRequestHeaders: (_request, headers) => ({ ...headers, authorization: KEY }),
    })
  })
  await app.ready()
  return app.server
}

async function hono(upstream: string): Promise<Server> {
  const { Hono } = await import('hono')
  const { proxy } = await import('hono/proxy')
  const { createAdaptorServer } = await import('@hono/node-server')
  const app = new Hono()
  app.post(`${PREFIX}/*`, (c) =>
    proxy(`${upstream}${c.req.path.slice(PREFIX.length)}`, {
      ...c.req,
      headers: { ...c.req.header(), authorization: KEY, host: undefined },
    }),
  )
  return createAdaptorServer({ fetch: app.fetch }) as Server
}

/** The server for `role`, not yet listening. */
export async function serverFor(replica: Role, upstream: string): Promise<Server> {
  const role = replica.replace(/#\d+$/, '') as BaseRole
  const at = /^(node|fetch)@(.+)$/.exec(role)
  if (at) return voicekit(upstream, at[1] as 'node' | 'fetch', at[2] as string)
  if (role.startsWith('floor:')) {
    const spec = role.slice('floor:'.length)
    // `+undici`: the voice proxy created beside it, so that the process holds what the proxy's holds.
    if (spec.split('+').includes('undici')) await voicekit(upstream, 'node', 'source')
    // `+load`: only undici loaded (the global Request touched), nothing created.
    if (spec.split('+').includes('load')) void globalThis.Request
    return createServer(floorListener(upstream, floorOptions(spec)))
  }
  switch (role) {
    case 'bare':
      return createServer(floorListener(upstream, FLOOR))
    case 'node':
    case 'fetch':
      return voicekit(upstream, role, 'compiled')
    case 'hpm':
      return hpm(upstream)
    case 'fastify':
      return fastify(upstream)
    case 'hono':
      return hono(upstream)
    default:
      throw new Error(`unknown proxy bench role ${role}`)
  }
}
