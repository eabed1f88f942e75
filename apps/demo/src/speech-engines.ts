// The local speech server's engines, as the demo tells people about them: the dev server reads the
// speech server's /health (readEngines) and serves the result at /api/demo-engines (loadEngines).

/** What the speech server's GET /health answers: true, or the reason an engine cannot run. */
export interface SpeechHealth {
  routes: string[]
  tts: true | string
  stt: true | string
  decoder?: true | string
}

export type EngineId = 'tts' | 'stt' | 'decoder'

export interface EngineStatus {
  id: EngineId
  /** What it is for, in words. */
  use: string
  /** The program behind it. */
  program: string
  ready: boolean
  /** The speech server's own words when not ready (names what to install). */
  problem?: string
  /** The Debian packages that would make it ready (empty when installing would not help). */
  packages: string[]
}

export interface EngineReport {
  engines: EngineStatus[]
  /** One command installing every missing engine, or null when nothing is missing or no package helps. */
  install: string | null
}

const ENGINES: { id: EngineId; use: string; program: string }[] = [
  { id: 'tts', use: 'Reading aloud', program: 'flite' },
  { id: 'stt', use: 'Dictation', program: 'pocketsphinx' },
  { id: 'decoder', use: 'Recordings other than WAV (transcripts with timestamps)', program: 'ffmpeg' },
]

/** The packages named in a speech-server message: `… (apt-get install -y flite).` */
const packagesIn = (message: string) => /\(apt-get install -y ([^)]+)\)/.exec(message)?.[1]?.split(' ') ?? []

export function readEngines(health: SpeechHealth, { root }: { root: boolean }): EngineReport {
  const engines = ENGINES.map(({ id, use, program }): EngineStatus => {
    const status = health[id] ?? true
    return status === true
      ? { id, use, program, ready: true, packages: [] }
      : { id, use, program, ready: false, problem: status, packages: packagesIn(status) }
  })
  const packages = [...new Set(engines.flatMap((engine) => engine.packages))]
  return {
    engines,
    install: packages.length > 0 ? `${root ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}` : null,
  }
}

/** The report, as the dev server serves it (null where the page runs without the demo's dev server). */
export async function loadEngines(): Promise<EngineReport | null> {
  const response = await fetch('/api/demo-engines')
  if (!response.ok || !response.headers.get('content-type')?.includes('json')) return null
  return (await response.json()) as EngineReport
}
