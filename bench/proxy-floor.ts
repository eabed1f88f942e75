// The floor of a Node forwarder: the least a node:http server can do to forward a request to one
// upstream, adding a header and mapping the path, with no policy, no limit, no timeout. Several ways
// to write it, so that the bench can say which is the fastest on this machine (PROXY_BENCH_SERVERS=
// floor:pipe,floor:pipeline,... — see bench/proxy.ts) and use that one as `bare`:
//   io        pipe()                         req.pipe(upstream), answer.pipe(res) (what http-proxy does)
//             pipeline()                     stream.pipeline both ways (error and close wiring per request)
//             data                           'data' listeners with write()/pause()/'drain' by hand
//   agent     lifo                           keepAlive, LIFO (Node's default scheduling), no socket limit
//             fifo                           keepAlive, FIFO
//             httpxy                         keepAlive, maxSockets 256, maxFreeSockets 64 (http-proxy-middleware's)
//   headers   object                         writeHead(status, answer.headers)
//             set                            setHeader() per header, then pipe (what http-proxy does)
//             raw                            writeHead(status, answer.rawHeaders)
//   undici    `+undici`: the voice proxy created in the same process (which loads undici); `+load`:
//             only undici loaded
//
// The floor is pipe() both ways, a keep-alive agent with Node's default LIFO scheduling and no socket
// limit, the answer's headers passed to writeHead (FLOOR below). Measured side by side (2 cores, load
// average 7-10, one process each, 12 rounds): pipeline() cost twice the CPU per short request (1.09
// against 0.51 ms) and a third more per 30 MiB (68 against 51 ms down, 52 against 41 up), and added
// 0.9 ms to the first byte — the error and close wiring it sets up on both streams for every request;
// 'data' listeners written by hand are pipe() again (0.51 ms, 51 and 45 ms); the agent variants and the
// header variants were within the run's noise (0.51-0.59 ms, 44-51 ms down, 37-43 ms up), which for one
// process is up to 20 % on uploads (bench/proxy.ts, EPOCHS). With incremental marking on, undici in the
// process did change the figures (1.4-1.9x the CPU per 30 MiB): it took the forwarder's old generation
// past the 8 MB below which V8 never starts marking, so that it ran mark-compacts all through the
// transfers while the plain forwarder ran none; with marking off (as the bench runs) it made none.
import { Agent, type IncomingMessage, type RequestListener, request, type ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'

export interface FloorOptions {
  readonly io: 'pipe' | 'pipeline' | 'data'
  readonly agent: 'lifo' | 'fifo' | 'httpxy'
  readonly headers: 'object' | 'set' | 'raw'
}

export const FLOOR: FloorOptions = { io: 'pipe', agent: 'lifo', headers: 'object' }

/** `floor:pipe+fifo+set` → the options it names, the rest from FLOOR. */
export function floorOptions(spec: string): FloorOptions {
  const options: { -readonly [K in keyof FloorOptions]: FloorOptions[K] } = { ...FLOOR }
  for (const part of spec.split('+').filter(Boolean)) {
    if (part === 'pipe' || part === 'pipeline' || part === 'data') options.io = part
    else if (part === 'lifo' || part === 'fifo' || part === 'httpxy') options.agent = part
    else if (part === 'object' || part === 'set' || part === 'raw') options.headers = part
    else if (part !== 'undici' && part !== 'load') throw new Error(`unknown floor option ${part}`)
  }
  return options
}

function agentOf(kind: FloorOptions['agent']): Agent {
  if (kind === 'httpxy') return new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 })
  return new Agent({ keepAlive: true, scheduling: kind })
}

/** Forwards `/api/voice/dify/<rest>` to `<upstream>/<rest>` with the key added. */
export function floorListener(upstream: string, options: FloorOptions = FLOOR): RequestListener {
  const agent = agentOf(options.agent)
  const target = new URL(upstream)
  const prefix = '/api/voice/dify'
  const answerWith = (answer: IncomingMessage, res: ServerResponse) => {
    const status = answer.statusCode ?? 502
    if (options.headers === 'set') {
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) res.setHeader(name, value)
      res.statusCode = status
    } else if (options.headers === 'raw') res.writeHead(status, answer.rawHeaders)
    else res.writeHead(status, answer.headers)
  }
  return (req, res) => {
    const path = `${target.pathname}${(req.url ?? '/').slice(prefix.length)}`
    const headers: Record<string, string> = { authorization: 'Bearer bench-key' }
    for (const name of ['content-type', 'content-length']) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const forward = request(
      { host: target.hostname, port: target.port, path, method: req.method, agent, headers },
      (answer) => {
        answerWith(answer, res)
        if (options.io === 'pipeline') pipeline(answer, res, () => {})
        else if (options.io === 'pipe') answer.pipe(res)
        else {
          answer.on('data', (chunk: Buffer) => {
            if (!res.write(chunk)) answer.pause()
          })
          res.on('drain', () => answer.resume())
          answer.on('end', () => res.end())
        }
      },
    )
    forward.on('error', () => res.destroy())
    if (options.io === 'pipeline') pipeline(req, forward, () => {})
    else if (options.io === 'pipe') req.pipe(forward)
    else {
      req.on('data', (chunk: Buffer) => {
        if (!forward.write(chunk)) req.pause()
      })
      forward.on('drain', () => req.resume())
      req.on('end', () => forward.end())
    }
  }
}
