// The options' types refuse what the proxy refuses at creation: `providers` takes the built-in ids only
// (the `@ts-expect-error` lines fail tsc once a misspelt id type-checks), an app's own provider goes in
// `custom` with its descriptor. Each case is checked at run time too, for callers without types.
import { providerDescriptors } from '@voicekit/core/server'
import { describe, expect, test } from 'vitest'
import { createVoiceProxy } from './handler'
import type { BuiltInProviderConfigs, VoiceProxyOptions } from './options'
import { customDescriptor } from './test-support/custom-descriptor'

function recording() {
  const urls: string[] = []
  const headers: Headers[] = []
  const fetch = async (url: string, init: RequestInit) => {
    urls.push(url)
    headers.push(new Headers(init.headers))
    return new Response('{"ok":true}')
  }
  return { urls, headers, fetch }
}

const post = (path: string) => new Request(`https://app.example/api/voice/${path}`, { method: 'POST', body: '{}' })

describe('providers: typed by built-in id', () => {
  test('every built-in id is a key, and nothing else', () => {
    const all: Required<BuiltInProviderConfigs> = {
      dify: { apiKey: 'a' },
      livepeer: { apiKey: 'b' },
      fish: { apiKey: 'c' },
      openai: { apiKey: 'd' },
      elevenlabs: { apiKey: 'e' },
    }
    expect(Object.keys(all).sort()).toEqual(Object.keys(providerDescriptors).sort())
  })

  test('a misspelt id is a type error and a TypeError at creation', () => {
    // @ts-expect-error: `difi` is not a built-in provider
    expect(() => createVoiceProxy({ providers: { difi: { apiKey: 'k' } } })).toThrow(/providers\.difi/)
  })

  test("a misspelt setting is a type error; an inherited name is no provider's id", () => {
    // @ts-expect-error: `apikey` is not a setting
    createVoiceProxy({ providers: { dify: { apikey: 'k' } } })
    // @ts-expect-error: not a built-in provider
    expect(() => createVoiceProxy({ providers: { toString: {} } })).toThrow(TypeError)
  })

  test("an app's own id in providers is refused, pointing at custom", () => {
    // @ts-expect-error: custom providers are configured in `custom`
    expect(() => createVoiceProxy({ providers: { 'acme-voice': { apiKey: 'k' } } })).toThrow(/custom/)
  })

  test('configuration built at run time (one entry per descriptor) still fits', async () => {
    const { urls, fetch } = recording()
    const providers = Object.fromEntries(Object.keys(providerDescriptors).map((id) => [id, { apiKey: `key-${id}` }]))
    const options: VoiceProxyOptions = { providers, fetch }
    expect((await createVoiceProxy(options)(post('livepeer/audio-to-text'))).status).toBe(200)
    expect(urls).toEqual(['https://dream-gateway.livepeer.cloud/audio-to-text'])
  })
})

describe('custom: a descriptor with its settings', () => {
  test('is served at its id, with its own auth header and key', async () => {
    const { urls, headers, fetch } = recording()
    const handler = createVoiceProxy({ custom: [{ descriptor: customDescriptor, apiKey: 'k1' }], fetch })
    expect((await handler(post('acme-voice/v2/listen'))).status).toBe(200)
    expect(urls).toEqual(['https://api.acme-voice.invalid/v2/listen'])
    expect(headers[0]?.get('x-acme-key')).toBe('Key k1')
  })

  test('beside the built-in ones', async () => {
    const { urls, fetch } = recording()
    const handler = createVoiceProxy({
      providers: { dify: { apiKey: 'd' } },
      custom: [{ descriptor: customDescriptor, apiKey: 'k1' }],
      fetch,
    })
    expect((await handler(post('dify/audio-to-text'))).status).toBe(200)
    expect((await handler(post('acme-voice/v2/listen'))).status).toBe(200)
    expect(urls).toEqual(['https://api.dify.ai/v1/audio-to-text', 'https://api.acme-voice.invalid/v2/listen'])
  })

  test('without settings it answers its own "not configured"', async () => {
    const handler = createVoiceProxy({ custom: [{ descriptor: customDescriptor }] })
    expect((await handler(post('acme-voice/v2/listen'))).status).toBe(412)
  })

  test('two with one id, or one id in both places, are refused at creation', () => {
    const twice = [{ descriptor: customDescriptor }, { descriptor: customDescriptor }]
    expect(() => createVoiceProxy({ custom: twice })).toThrow(/two providers with the id acme-voice/)
    const openai = { ...providerDescriptors.openai, auth: { header: 'api-key' } }
    expect(() =>
      createVoiceProxy({ providers: { openai: { apiKey: 'a' } }, custom: [{ descriptor: openai, apiKey: 'b' }] }),
    ).toThrow(/both providers and custom/)
  })

  test('an entry without a descriptor is a type error and a TypeError', () => {
    // @ts-expect-error: a custom provider needs its descriptor
    expect(() => createVoiceProxy({ custom: [{ apiKey: 'k' }] })).toThrow(/descriptor/)
  })
})
