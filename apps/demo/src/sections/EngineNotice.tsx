import type { EngineId, EngineReport } from '../speech-engines'

interface Props {
  /** The local speech server's engines (null: unknown, e.g. a real provider is in use). */
  report: EngineReport | null | undefined
  /** The engines this section needs. */
  needs: EngineId[]
  /** What stops working, e.g. "Dictation". */
  feature: string
  id?: string
}

/** The engines a section needs but the local speech server lacks, and the one line that installs them. */
export function missingEngines(report: EngineReport | null | undefined, needs: EngineId[]) {
  return report?.engines.filter((engine) => needs.includes(engine.id) && !engine.ready) ?? []
}

/** Says, where the feature is, what the terminal said: which program is missing and the command that installs it. */
export function EngineNotice({ report, needs, feature, id }: Props) {
  const missing = missingEngines(report, needs)
  if (missing.length === 0) return null
  const packages = [...new Set(missing.flatMap((engine) => engine.packages))]
  const programs = missing.map((engine) => engine.program).join(' and ')
  const sudo = report?.install?.startsWith('sudo ') ? 'sudo ' : ''
  return (
    <div className="demo-notice" role="note" id={id} data-testid="engine-notice">
      <p>
        <strong>Not set up yet:</strong> {feature} needs {programs} on the computer running <code>pnpm dev</code>.
      </p>
      {packages.length > 0 ? (
        <p>
          Install {missing.length > 1 ? 'them' : 'it'} with{' '}
          <code className="demo-command">
            {sudo}apt-get install -y {packages.join(' ')}
          </code>{' '}
          and restart <code>pnpm dev</code>.
        </p>
      ) : (
        missing.map((engine) => <p key={engine.id}>{engine.problem?.replace(/^speech-server: /, '')}</p>)
      )}
    </div>
  )
}
