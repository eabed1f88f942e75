// The package entries import cleanly in Node, by package name, and msgpackr stays on `@voicekit/core/fish`.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))

test('@voicekit/core imports in Node and exposes the transports and errors', async () => {
  const core = await import('@voicekit/core')
  expect(typeof core.createDifyTransport).toBe('function')
  expect(typeof core.createLivepeerTransport).toBe('function')
  expect(typeof core.createOpenAITransport).toBe('function')
  for (const name of ['Dify', 'OpenAI'] as const) {
    expect(typeof core[`create${name}Transcriber`]).toBe('function')
    expect(typeof core[`create${name}Speaker`]).toBe('function')
  }
  expect(typeof core.VoiceError).toBe('function')
  expect(core.VOICE_ERROR_CODES).toContain('bad_response')
  expect(Object.keys(core.providerDescriptors)).toEqual(expect.arrayContaining(['dify', 'livepeer', 'fish', 'openai']))
  for (const [id, descriptor] of Object.entries(core.providerDescriptors)) expect(descriptor.id).toBe(id)
  expect('createFishTransport' in core).toBe(false)
})

test('@voicekit/core/fish imports in Node and shares VoiceError with the main entry', async () => {
  const fish = await import('@voicekit/core/fish')
  const core = await import('@voicekit/core')
  const server = await import('@voicekit/core/server')
  expect(typeof fish.createFishTranscriber).toBe('function')
  expect(typeof fish.createFishSpeaker).toBe('function')
  const transport = fish.createFishTransport({ baseUrl: 'http://127.0.0.1:9' })
  expect(transport.provider).toBe('fish')
  const error = await transport.transcribe!(new Blob([])).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(core.VoiceError)
  expect(server.providerDescriptors.fish).toBe(core.providerDescriptors.fish)
  expect(server.VoiceError).toBe(core.VoiceError)
})

/** Every source file reachable from `entry` through relative imports. */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen
  seen.add(entry)
  const source = readFileSync(entry, 'utf8')
  for (const [, spec] of source.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)) {
    const base = resolve(dirname(entry), spec!)
    const file = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => {
      try {
        readFileSync(candidate)
        return true
      } catch {
        return false
      }
    })
    if (file) reachable(file, seen)
  }
  return seen
}

test('msgpackr is reachable from the fish entry only', () => {
  const fromMain = [...reachable(join(here, 'index.ts'))]
  const fromFish = [...reachable(join(here, 'fish.ts'))]
  const usesMsgpackr = (file: string) => /from 'msgpackr'/.test(readFileSync(file, 'utf8'))
  expect(fromMain.length).toBeGreaterThan(10)
  expect(fromMain.filter(usesMsgpackr)).toEqual([])
  expect(fromFish.filter(usesMsgpackr).map((file) => file.slice(here.length))).toEqual(['/providers/fish/fish.ts'])
})

test('the server entry the proxy imports pulls in descriptors and errors only', () => {
  const files = [...reachable(join(here, 'server.ts'))].map((file) => file.slice(here.length))
  const allowed = (file: string) => /^\/(server\.ts|errors\/.*|providers\/(.*\/)?descriptors?\.ts)$/.test(file)
  expect(files.filter((file) => !allowed(file))).toEqual([])
  expect(files).toContain('/providers/descriptors.ts')
})
