// `pnpm dev` as a newcomer runs it: Vite's own CLI in a process of its own, on a free port.
// Its own process, not a Vite server created inside the test worker: a crash of the dev server
// (a native module, say) is then reported as what it is, with its exit signal and output,
// instead of taking the test worker and every report with it.
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const viteCli = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url))

export interface DevServer {
  readonly url: string
  /** Everything the dev server printed so far. */
  output(): string
  close(): Promise<void>
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal)
  } catch {} // already gone
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

export interface DevServerOptions {
  /** `vite` (default): Vite's CLI on the demo. `pnpm dev`: the README's command, with its check of the speech engines first. */
  command?: 'vite' | 'pnpm dev'
  /** The environment (default: this process's). */
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const { command = 'vite', env = process.env, timeoutMs = 60_000 } = options
  const port = await freePort()
  const flags = ['--port', String(port), '--strictPort', '--clearScreen', 'false']
  const [program, args] =
    command === 'vite' ? [process.execPath, [viteCli, 'apps/demo', ...flags]] : ['pnpm', ['dev', ...flags]]
  const child: ChildProcess = spawn(program, args, {
    cwd: repoRoot,
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // pnpm runs the demo's script in a shell of its own: a process group, so that close() ends Vite too.
    detached: command !== 'vite',
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`))
  })
  const url = `http://127.0.0.1:${port}/`
  const ready = await Promise.race([
    (async () => {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        if (/local speech server: http/.test(output)) {
          const answer = await fetch(url).catch(() => undefined)
          if (answer?.ok) return true
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return false
    })(),
    exited.then(() => false),
  ])
  if (!ready) {
    if (command === 'vite') child.kill('SIGKILL')
    else killGroup(child, 'SIGKILL')
    throw new Error(
      `the demo's dev server did not start (${await Promise.race([exited, 'still running'])}):\n${output}`,
    )
  }
  let closing = false
  // A dev server that dies half-way fails the test that was using it; this says why.
  void exited.then((how) => {
    if (!closing) console.error(`the demo's dev server exited unexpectedly (${how}):\n${output}`)
  })
  return {
    url,
    output: () => output,
    async close() {
      closing = true
      if (child.exitCode === null && child.signalCode === null) {
        if (command === 'vite') child.kill('SIGTERM')
        else killGroup(child, 'SIGTERM')
      }
      await exited
    },
  }
}
