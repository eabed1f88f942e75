// .env.example names every variable the demo reads: each provider's key and base URL (from core's descriptors).
import { readFileSync } from 'node:fs'
import { providerDescriptors } from '@voicekit/core'
import { expect, test } from 'vitest'

const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8')
const names = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]))

test('every provider descriptor’s env variables are in .env.example, empty', () => {
  for (const descriptor of Object.values(providerDescriptors)) {
    if (!descriptor.env) continue
    expect(names, descriptor.id).toContain(descriptor.env.apiKey)
    if (descriptor.env.baseUrl) expect(names, descriptor.id).toContain(descriptor.env.baseUrl)
  }
  expect(example).not.toMatch(/^[A-Z0-9_]+=\S/m)
  expect(example).toMatch(/restart `pnpm dev`/)
})
