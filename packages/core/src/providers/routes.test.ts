// Each built-in transport speaks only what its descriptor lets the proxy forward: every request it makes
// lands on an endpoint of that operation (path template, allowed query names), with no header the proxy
// would drop, and its upload limit is the endpoint's. A path or limit changed on one side only fails here.
import { describe, expect, test } from 'vitest'
import { type Received, useTestServer, wavBytes } from '../test-support/http'
import type { HttpTransportOptions, SpeechTransport } from '../transport/types'
import type { ProviderDescriptor, ProviderEndpoint } from './descriptor'
import { type BuiltInProviderId, providerDescriptors } from './descriptors'
import { createFishTransport } from './fish'
import { createTransport } from './registry'

const server = useTestServer({ text: 'hello', duration: 1, segments: [] })

type Factory = (options: HttpTransportOptions) => SpeechTransport
const transports: Record<BuiltInProviderId, Factory> = {
  dify: (options) => createTransport('dify', options),
  elevenlabs: (options) => createTransport('elevenlabs', options),
  livepeer: (options) => createTransport('livepeer', options),
  openai: (options) => createTransport('openai', options),
  fish: createFishTransport,
}

/** The headers Node's fetch adds by itself, and the transport-level ones the proxy handles itself. */
const PLATFORM = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'user-agent',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'content-type',
  'accept',
])

/** The proxy's matching rule for a path template: a `{name}` is one plain segment, the rest literal. */
function matches(endpoint: ProviderEndpoint, path: string): boolean {
  const pattern = endpoint.path
    .split('/')
    .map((part) => (/^\{\w+\}$/.test(part) ? '[A-Za-z0-9_-]{1,128}' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${pattern}$`).test(path)
}

function routeOf(descriptor: ProviderDescriptor, request: Received) {
  const url = new URL(request.url, 'http://x')
  const endpoint = descriptor.endpoints.find((candidate) => matches(candidate, url.pathname))
  return { endpoint, query: [...url.searchParams.keys()] }
}

describe.each(Object.values(providerDescriptors))('$id: the transport stays on its routes', (descriptor) => {
  const transport = () => transports[descriptor.id as BuiltInProviderId]({ baseUrl: server.url })

  test('its upload limit is the transcribe endpoint’s', () => {
    const transcribe = descriptor.endpoints.find((endpoint) => endpoint.operation === 'transcribe')
    expect(transport().input.maxBytes).toBe(transcribe?.maxBytes)
  })

  test('every request is a route of its operation, with only the query and headers the proxy forwards', async () => {
    const made: ['transcribe' | 'speak', Received][] = []
    const t = transport()
    for (const timestamps of ['none', 'segment', 'word'] as const) {
      await t.transcribe?.(new Blob([wavBytes(2000)], { type: 'audio/wav' }), { timestamps, language: 'en' })
      made.push(['transcribe', server.received.at(-1)!])
    }
    if (t.speak) {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'audio/mpeg' })
        response.end(new Uint8Array([0xff, 0xfb, 0x90, 0x64]))
      })
      for (const voice of [undefined, 'voice_2']) {
        await (await t.speak('Hello there.', { voice })).body.cancel()
        made.push(['speak', server.received.at(-1)!])
      }
    }
    expect(made.length).toBeGreaterThanOrEqual(3)
    for (const [operation, request] of made) {
      const { endpoint, query } = routeOf(descriptor, request)
      expect(endpoint?.operation, request.url).toBe(operation)
      expect(query.filter((name) => !endpoint?.query?.includes(name))).toEqual([])
      const extra = Object.keys(request.headers).filter((name) => !PLATFORM.has(name))
      expect(extra.filter((name) => !descriptor.requestHeaders?.includes(name))).toEqual([])
      expect(request.body.length).toBeLessThanOrEqual(endpoint!.maxBytes)
    }
  })
})
