// The curated public surface: core's main entry stays small (it was 90 runtime values of `export *`),
// internals stay off every entry, and every published entry has its API report in the repo
// (scripts/api-report.mjs checks the reports' content against the build).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const MAIN_ENTRY_MAX_VALUES = 45

/** Helpers of the implementation that were once on the main entry: no entry may export them. */
const INTERNALS = [
  'MiB',
  'PCM_PROCESSOR',
  'CAPTURE_ERROR_CODES',
  'RECORDING_PREFERENCE',
  'RECORDING_TYPE_CANDIDATES',
  'levelOf',
  'speechStatus',
  'badResponse',
  'difyErrorCodes',
  'elevenlabsErrorCodes',
  'decodeDifyError',
  'decodeFishError',
  'createSegmenter',
  'createResampler',
  'speechCacheKey',
  'toCaptureError',
]

const coreEntries = async () => ({
  '@voicekit/core': await import('@voicekit/core'),
  '@voicekit/core/server': await import('@voicekit/core/server'),
  '@voicekit/core/transport': await import('@voicekit/core/transport'),
  '@voicekit/core/fish': await import('@voicekit/core/fish'),
})

test(`core's main entry exports at most ${MAIN_ENTRY_MAX_VALUES} runtime values, the ones an app uses`, async () => {
  const core = await import('@voicekit/core')
  const values = Object.keys(core)
  expect(values.length).toBeLessThanOrEqual(MAIN_ENTRY_MAX_VALUES)
  for (const name of [
    'VoiceError',
    'createRecorder',
    'createStreamingPlayer',
    'createDictation',
    'createDifyTransport',
  ])
    expect(values).toContain(name)
  // Building blocks for a custom transport are on their own entry.
  for (const name of ['codeForStatus', 'createHttpTransport', 'prepareUpload', 'VOICE_ERROR_HEADER'])
    expect(values).not.toContain(name)
})

test('no entry of core exports an internal helper', async () => {
  for (const [specifier, entry] of Object.entries(await coreEntries()))
    expect(
      Object.keys(entry).filter((name) => INTERNALS.includes(name)),
      specifier,
    ).toEqual([])
})

test('the custom-transport entry has the building blocks, the server entry the descriptors', async () => {
  const { '@voicekit/core/transport': transport, '@voicekit/core/server': server } = await coreEntries()
  for (const name of ['createHttpTransport', 'decodeCommonError', 'readAudioStream', 'prepareUpload', 'codeForStatus'])
    expect(Object.keys(transport)).toContain(name)
  expect(Object.keys(server)).toEqual(
    expect.arrayContaining(['providerDescriptors', 'VOICE_ERROR_HEADER', 'VoiceError']),
  )
})

test("the proxy's entry exports no internals", async () => {
  const proxy = await import('@voicekit/proxy')
  expect(Object.keys(proxy).filter((name) => /^(ENVELOPE_ALLOWANCE|FORWARDED_\w+)$/.test(name))).toEqual([])
})

test("the proxy's code imports core's server entry only, never the browser index", () => {
  const dir = join(root, 'packages', 'proxy', 'src')
  const sources = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  expect(sources.length).toBeGreaterThan(5)
  const imports = sources.flatMap((file) =>
    [...readFileSync(join(dir, file), 'utf8').matchAll(/from '(@voicekit\/core[^']*)'/g)].map(
      ([, spec]) => `${file}: ${spec}`,
    ),
  )
  expect(imports.filter((line) => !line.endsWith(': @voicekit/core/server'))).toEqual([])
  expect(imports.length).toBeGreaterThan(0)
})

test('every published entry has its API report in the repo', () => {
  const missing: string[] = []
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>
    }
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string' || !target.types) continue
      const name = subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-')
      const report = join('packages', dir, 'api', `${name}.api.md`)
      if (!existsSync(join(root, report))) missing.push(report)
    }
  }
  expect(missing, 'run `pnpm api`').toEqual([])
})
