// msgpackr is an optional peer of @voicekit/core, loaded by `@voicekit/core/fish` on first use.
// Missing, it is a VoiceError that names the package; a chunk that fails to load is `network`.
// (The e2e packaging test checks the same from a packed tarball installed without msgpackr.)
import { afterEach, describe, expect, test, vi } from 'vitest'

afterEach(() => {
  vi.doUnmock('msgpackr')
  vi.resetModules()
})

const fetch = async () => new Response('{"text":"hi"}', { headers: { 'content-type': 'application/json' } })
const audio = new Blob([new Uint8Array(2000)], { type: 'audio/wav' })

async function fishWithout(error: Error) {
  vi.doMock('msgpackr', () => {
    throw error
  })
  return import('@voicekit/core/fish')
}

describe('@voicekit/core/fish without msgpackr', () => {
  test('speech: provider_misconfigured, naming msgpackr', async () => {
    const { createFishSpeaker } = await fishWithout(
      Object.assign(new Error("Cannot find package 'msgpackr'"), { code: 'ERR_MODULE_NOT_FOUND' }),
    )
    const error = await createFishSpeaker({ baseUrl: 'http://fish.test', fetch })
      .speak('Hello.')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'provider_misconfigured', provider: 'fish' })
    expect((error as Error).message).toMatch(/msgpackr/)
  })

  test('dictation with multipart encoding needs no msgpackr', async () => {
    const { createFishTranscriber } = await fishWithout(new Error("Cannot find module 'msgpackr'"))
    const transcript = await createFishTranscriber({
      baseUrl: 'http://fish.test',
      fetch,
      encoding: 'multipart',
    }).transcribe(audio)
    expect(transcript.text).toBe('hi')
  })

  test('a chunk that fails to load is network, retryable', async () => {
    const { createFishTranscriber } = await fishWithout(new TypeError('Failed to fetch dynamically imported module'))
    const error = await createFishTranscriber({ baseUrl: 'http://fish.test', fetch })
      .transcribe(audio)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'network', retryable: true, provider: 'fish' })
  })
})
