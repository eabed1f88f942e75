// The parts core loads on first need (the WAV transcoder, the audio-stream reader) may fail to load: offline, or
// a deploy that replaced the chunk. That is a `network` VoiceError like any other, never a raw TypeError.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { isVoiceError } from './errors'

afterEach(() => {
  vi.doUnmock('./capture/transcode')
  vi.doUnmock('./transport/audio-stream')
  vi.resetModules()
})

describe('a lazily loaded part that fails to load', () => {
  test('the transcoder: toUploadable rejects with network, retryable', async () => {
    vi.doMock('./capture/transcode', () => {
      throw new TypeError('Failed to fetch dynamically imported module')
    })
    const { toUploadable } = await import('./capture/upload')
    const webm = new Blob([new Uint8Array(100)], { type: 'audio/webm' })
    const error = await toUploadable(webm, { mimeTypes: ['audio/wav'], maxBytes: 1e6 }).catch((e: unknown) => e)
    expect(isVoiceError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'network', retryable: true })
  })

  test('the audio-stream reader: speak() rejects with network, retryable', async () => {
    vi.doMock('./transport/audio-stream', () => {
      throw new TypeError('Failed to fetch dynamically imported module')
    })
    const { createDifySpeaker } = await import('./providers/dify')
    const fetch = async () =>
      new Response(new Uint8Array([0xff, 0xfb, 0x90, 0x64]), { headers: { 'content-type': 'audio/mpeg' } })
    const error = await createDifySpeaker({ baseUrl: 'http://dify.test', fetch })
      .speak('Hello.')
      .catch((e: unknown) => e)
    expect(isVoiceError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'network', retryable: true, provider: 'dify' })
    expect((error as Error).message).toMatch(/audio reader could not be loaded/)
  })
})
