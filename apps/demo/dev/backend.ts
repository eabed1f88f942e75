// The demo's server side, loaded by voice-backend-plugin.ts inside Vite's dev server:
// the local speech server (no keys needed) behind the proxy at /api/local, and the
// real providers whose keys are in .env behind the proxy at /api/voice. Providers come from
// core's descriptors, so a new provider appears here without an edit.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { type ProviderDescriptor, providerDescriptors } from '@voicekit/core'
import { createVoiceProxy, type ProviderConfig, toNodeListener, toUpgradeListener } from '@voicekit/proxy'
import { type SpeechServer, startSpeechServer } from 'speech-server'
import { type EngineReport, readEngines, type SpeechHealth } from '../src/speech-engines.ts'
import { handleAssistantReply } from './assistant-reply'
import { handleDifyChat } from './dify-chat'

const descriptors: readonly ProviderDescriptor[] = Object.values(providerDescriptors)

/** Where a provider's routes live on the local speech server, read from the routes its /health lists. */
export function localBasePath(descriptor: ProviderDescriptor, routes: readonly string[]): string | undefined {
  for (const endpoint of descriptor.endpoints) {
    const tail = new RegExp(`${endpoint.path.replace(/\{\w+\}/g, '[A-Za-z0-9_-]+')}$`)
    for (const route of routes) {
      const match = route.startsWith(`/${descriptor.id}/`) ? tail.exec(route) : null
      if (match) return route.slice(0, match.index)
    }
  }
  return undefined
}

export interface DemoBackendOptions {
  /** A line for the terminal (Vite's logger). */
  info(line: string): void
  warn(line: string): void
}

async function startLocalSpeechServer(port: number, log: (line: string) => void): Promise<SpeechServer> {
  try {
    return await startSpeechServer({ port, log })
  } catch (error) {
    // Another process holds the port (a second `pnpm dev`): any free port will do.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    return startSpeechServer({ port: 0, log })
  }
}

/** Only the speech server's problems reach the terminal, not a line per successful request. */
const isProblem = (line: string) => !/ [23]\d\d \d+ms/.test(line)

export async function startDemoBackend(env: Record<string, string | undefined>, out: DemoBackendOptions) {
  const speech = await startLocalSpeechServer(Number(env.SPEECH_SERVER_PORT ?? 8787), (line) => {
    if (isProblem(line)) out.warn(`  [speech server] ${line}`)
  })
  const health = async (): Promise<SpeechHealth> =>
    (await fetch(`${speech.url}/health`)).json() as Promise<SpeechHealth>
  const { routes } = await health()
  const local = createVoiceProxy({
    basePath: '/api/local',
    providers: Object.fromEntries(
      descriptors.flatMap((d) => {
        const path = localBasePath(d, routes)
        return path ? [[d.id, { apiKey: speech.apiKey, baseUrl: `${speech.url}${path}` }]] : []
      }),
    ),
  })
  const configured = Object.fromEntries(
    descriptors.flatMap((d): [string, ProviderConfig][] => {
      const apiKey = d.env ? env[d.env.apiKey] : undefined
      const baseUrl = d.env?.baseUrl ? env[d.env.baseUrl] : undefined
      return apiKey || baseUrl ? [[d.id, { apiKey, baseUrl }]] : []
    }),
  )
  const real = createVoiceProxy({ basePath: '/api/voice', providers: configured })
  // What the page may know: which providers are configured and which variable enables the others. No keys.
  const config = JSON.stringify({
    providers: descriptors.map((d) => ({
      name: d.id,
      label: d.name,
      configured: d.id in configured,
      env: d.env?.apiKey,
    })),
  })
  const root = process.getuid?.() === 0
  const engines = async (): Promise<EngineReport> => readEngines(await health(), { root })

  const report = await engines()
  out.info(`  local speech server: ${speech.url}`)
  for (const engine of report.engines) {
    const line = `    ${engine.ready ? '✓' : '✗'} ${engine.use}: ${engine.ready ? 'ready' : engine.problem}`
    if (engine.ready) out.info(line)
    else out.warn(line)
  }
  if (report.install) out.warn(`    Install what is missing with: ${report.install}   (then restart pnpm dev)`)

  const listeners = [toNodeListener(local), toNodeListener(real)]
  const json = (res: ServerResponse, body: string) => {
    res.setHeader('content-type', 'application/json')
    res.setHeader('cache-control', 'no-store')
    res.end(body)
  }
  const listener = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    if (req.url === '/api/demo-config') return json(res, config)
    if (handleAssistantReply(req, res)) return
    if (handleDifyChat(req, res, { baseUrl: `${speech.url}/dify/v1`, apiKey: speech.apiKey })) return
    // Asked afresh each time: engines installed while the dev server runs show up on the next page load.
    if (req.url === '/api/demo-engines') {
      engines().then(
        (fresh) => json(res, JSON.stringify(fresh)),
        (error) => next(error),
      )
      return
    }
    const run = (index: number) => {
      const handler = listeners[index]
      if (handler) handler(req, res, () => run(index + 1))
      else next()
    }
    run(0)
  }
  // Real-time transcription: the sockets go through each proxy's relay; other upgrades (Vite's HMR) are left alone.
  const [localSockets, realSockets] = [toUpgradeListener(local), toUpgradeListener(real)]
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    localSockets(req, socket, head, () => realSockets(req, socket, head))
  return { listener, upgrade, speechServerUrl: speech.url, close: () => speech.close() }
}
