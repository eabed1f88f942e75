// Bundle sizes of the public entries, built the way an app's bundler would build them: esbuild,
// minified, ESM, for the browser, from the packages' sources (the `@voicekit/source` condition).
// Deterministic: the budget test (test/budgets.test.ts) and `pnpm bench` both use it.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
export const PEERS = ['react', 'react-dom', '@tanstack/react-query', 'msgpackr'] as const

// esbuild is not a root dependency (so not importable by name, types included): it is resolved through
// Vite, which depends on it, and typed here as far as this file uses it.
interface BuildResult {
  outputFiles: { text: string }[]
  metafile: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }
}
interface Esbuild {
  build(options: Record<string, unknown>): Promise<BuildResult>
}
const requireFromVite = createRequire(createRequire(`${root}package.json`).resolve('vite'))
const esbuild = requireFromVite('esbuild') as Esbuild

export interface BundleCase {
  /** Short name used in the table and the tests. */
  name: string
  /** The module an app would write: imports from the public entries. */
  source: string
  /** Extra externals beyond the peers (e.g. @voicekit/* for ui measured alone). */
  external?: string[]
}

export interface BundleSize {
  name: string
  /** The code an app loads up front: what the budgets are about. */
  minified: number
  gzip: number
  /** The input files (relative to the workspace) loaded up front, with their bytes. */
  inputs: Record<string, number>
  /** What loads on first need through `import()` (the WAV transcoder, the audio-stream reader). */
  lazy: { minified: number; gzip: number; inputs: Record<string, number> }
  /** The code loaded up front. */
  upFrontCode: string
  /** The whole code, lazy parts included. */
  code: string
}

/**
 * Builds `source` the way an app's bundler would and returns the sizes of what loads up front (every
 * `import()` left as a separate request) and of what loads on first need (the difference to a build
 * with them inlined). `withPeers` bundles the peers too.
 */
export async function measure(c: BundleCase, withPeers = false): Promise<BundleSize> {
  const upFront = await build(c, withPeers, true)
  const everything = await build(c, withPeers, false)
  const inputs: Record<string, number> = {}
  for (const [file, bytes] of Object.entries(everything.inputs)) if (!(file in upFront.inputs)) inputs[file] = bytes
  const lazy = {
    minified: everything.minified - upFront.minified,
    gzip: everything.gzip - upFront.gzip,
    inputs,
  }
  return { name: c.name, ...upFront, upFrontCode: upFront.code, lazy, code: everything.code }
}

async function build(c: BundleCase, withPeers: boolean, deferDynamicImports: boolean) {
  const external = [...(withPeers ? [] : PEERS), ...(c.external ?? [])]
  const result = await esbuild.build({
    stdin: { contents: c.source, resolveDir: root, loader: 'tsx', sourcefile: `${c.name}.tsx` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@voicekit/source'],
    jsx: 'automatic',
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: deferDynamicImports ? [deferred] : [],
  })
  const code = result.outputFiles[0]?.text ?? ''
  const output = Object.values(result.metafile.outputs)[0]
  const inputs: Record<string, number> = {}
  for (const [file, info] of Object.entries(output?.inputs ?? {})) inputs[file] = info.bytesInOutput
  return { minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length, inputs, code }
}

/** Leaves every `import()` out of the bundle, as the separate request it is in an app. */
const deferred = {
  name: 'defer-dynamic-imports',
  setup(build: {
    onResolve(options: { filter: RegExp }, callback: (args: { kind: string; path: string }) => unknown): void
  }) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    )
  },
}

/** Minifies a CSS file with esbuild and returns its minified and gzip sizes. */
export async function measureCss(file: string): Promise<{ minified: number; gzip: number }> {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    write: false,
    logLevel: 'silent',
  })
  const css = result.outputFiles[0]?.text ?? ''
  return { minified: Buffer.byteLength(css), gzip: gzipSync(css, { level: 9 }).length }
}

export const UI_CSS = fileURLToPath(new URL('../packages/ui/src/styles.css', import.meta.url))

const all = (entry: string) => `export * from '${entry}'`

/** The cases measured. `dify-app` is the budgeted one: core + react as a Dify dictation app uses them. */
export const CASES: BundleCase[] = [
  {
    name: 'dify-app',
    source: `import { createDifyTranscriber } from '@voicekit/core'
import { VoiceProvider, useAudioLevel, useTranscribe } from '@voicekit/react'
export { createDifyTranscriber, VoiceProvider, useAudioLevel, useTranscribe }`,
  },
  {
    // The same app with the two-way transport: what one-way factories save.
    name: 'dify-app, two-way transport',
    source: `import { createDifyTransport } from '@voicekit/core'
import { VoiceProvider, useAudioLevel, useTranscribe } from '@voicekit/react'
export { createDifyTransport, VoiceProvider, useAudioLevel, useTranscribe }`,
  },
  {
    name: 'fish-app',
    source: `import { createFishTransport } from '@voicekit/core/fish'
import { VoiceProvider, useSpeak, useTranscribe } from '@voicekit/react'
export { createFishTransport, VoiceProvider, useSpeak, useTranscribe }`,
  },
  { name: '@voicekit/core', source: all('@voicekit/core') },
  { name: '@voicekit/core/fish', source: all('@voicekit/core/fish') },
  { name: '@voicekit/react', source: all('@voicekit/react') },
  { name: '@voicekit/react (+core)', source: all('@voicekit/react') },
  { name: '@voicekit/ui', source: all('@voicekit/ui'), external: ['@voicekit/core', '@voicekit/react'] },
  { name: '@voicekit/ui (+react, core)', source: all('@voicekit/ui') },
]
// '@voicekit/react' alone leaves core external, as a package is measured on its own.
const reactAlone = CASES.find((c) => c.name === '@voicekit/react')
if (reactAlone) reactAlone.external = ['@voicekit/core']

/** Bundles a bench page script (everything included, not minified) for a browser page. */
export async function bundlePage(entry: string): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@voicekit/source'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]?.text ?? ''
}

/** Does the bundle contain msgpackr (as an import when external, or its code when bundled)? */
export function containsMsgpackr(size: BundleSize): boolean {
  return /["']msgpackr["']/.test(size.code) || Object.keys(size.inputs).some((f) => f.includes('msgpackr'))
}
