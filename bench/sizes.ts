// The bundle figures as bench rows: each public entry, without and with its peers.
import { CASES, containsMsgpackr, measure, measureCss, UI_CSS } from './bundle.ts'
import type { Row } from './stats.ts'

const kB = (n: number) => `${(n / 1024).toFixed(2)} kB`

export async function sizeRows(): Promise<Row[]> {
  const rows: Row[] = []
  for (const c of CASES) {
    const alone = await measure(c)
    const whole = await measure(c, true)
    rows.push({
      group: 'bundle',
      name: `${c.name} (min+gzip)`,
      ours: kB(alone.gzip),
      baseline: `${kB(whole.gzip)} with peers`,
      ratio: alone.gzip / whole.gzip,
      note: `min ${kB(alone.minified)} / ${kB(whole.minified)} with peers${alone.lazy.gzip > 0 ? `; +${kB(alone.lazy.gzip)} on first need` : ''}${containsMsgpackr(alone) ? '; msgpackr' : ''}`,
    })
  }
  const css = await measureCss(UI_CSS)
  rows.push({
    group: 'bundle',
    name: '@voicekit/ui/styles.css (min+gzip)',
    ours: kB(css.gzip),
    baseline: '3.00 kB budget',
    ratio: css.gzip / 3072,
    note: `min ${kB(css.minified)}`,
  })
  return rows
}
