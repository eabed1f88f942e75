// CLI: `pnpm --filter speech-server start [--faults] [--port N] [--host H]`
// Env: PORT (default 8787), HOST (default 127.0.0.1), SPEECH_SERVER_KEY (default: a local key, printed).
import { parseArgs } from 'node:util'
import { OPENAI_REALTIME_PATH, SCRIBE_REALTIME_PATH } from './realtime/upgrade.ts'
import { routePaths } from './routes/index.ts'
import { DEFAULT_API_KEY, speechToTextStatus, startSpeechServer } from './server.ts'

const { values } = parseArgs({
  // `pnpm --filter speech-server start -- --faults` passes the `--` through: drop it.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    faults: { type: 'boolean', default: false },
    port: { type: 'string' },
    host: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(`speech-server: a local speech backend that speaks the providers' wire formats.

  --faults        obey the x-speech-fault request header (status=NNN; delay=MS; stall; drop-after=N; rate=BPS; garbage),
                  and arm real-time socket faults with POST /_faults/realtime
  --port N        listen port (env PORT, default 8787)
  --host H        listen address (env HOST, default 127.0.0.1)

  env SPEECH_SERVER_KEY   the Bearer key (default ${DEFAULT_API_KEY})`)
  process.exit(0)
}

const port = Number(values.port ?? process.env.PORT ?? 8787)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`speech-server: bad port '${values.port ?? process.env.PORT}'`)
  process.exit(2)
}

const server = await startSpeechServer({
  port,
  host: values.host ?? process.env.HOST ?? '127.0.0.1',
  faults: values.faults,
  log: (line) => console.log(`[speech-server] ${line}`),
})

const keySource = process.env.SPEECH_SERVER_KEY ? 'from SPEECH_SERVER_KEY' : 'default local key'
console.log(`speech-server listening on ${server.url}`)
console.log(`  key (${keySource}): ${server.apiKey}`)
console.log(`  faults: ${server.faults ? 'on (x-speech-fault header obeyed)' : 'off'}`)
for (const path of routePaths) console.log(`  POST ${server.url}${path}`)
for (const path of [OPENAI_REALTIME_PATH, SCRIBE_REALTIME_PATH])
  console.log(`  GET  ${server.url.replace(/^http/, 'ws')}${path} (WebSocket)`)
const stt = speechToTextStatus()
if (stt !== true) console.warn(`  speech to text unavailable: ${stt}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(() => process.exit(0))
  })
}
