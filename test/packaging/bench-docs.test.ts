// Every figure in docs/ between bench markers is the one in bench/results.json.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

test('the docs show the figures of bench/results.json (pnpm bench:docs writes them)', () => {
  const script = fileURLToPath(new URL('../../scripts/bench-docs.mjs', import.meta.url))
  expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow()
})
