// The speech session without React, in a real engine: the Dify speaker through @voicekit/proxy to the
// local speech server, played by the real streaming player.
import { afterEach, describe, expect, inject, test, vi } from 'vitest'
import { server } from 'vitest/browser'
import type { VoiceError } from '../../errors'
import type { PlayerStatus } from '../../playback'
import { createDifySpeaker } from '../../providers'
import type { SpeechTransport } from '../../transport'
import { clearSpeechCache } from './cache'
import { createSpeechSession, type SpeechSession } from './session'

const browser = server.browser
const mp3Engine = 'webaudio'
const story = 'The first sentence is short. Here comes the second one. And this is the third, a little longer.'

/** The Dify speaker to the local speech server, counting its requests. */
function localDify(fault?: string) {
  const base = createDifySpeaker({
    baseUrl: `${inject('voiceBaseUrl')}/dify`,
    headers: fault ? { 'x-speech-fault': fault } : undefined,
  })
  const signals: (AbortSignal | undefined)[] = []
  const transport: SpeechTransport = {
    ...base,
    speak(text, options) {
      signals.push(options?.signal)
      return base.speak(text, options)
    },
  }
  return { transport, signals }
}

const until = (session: SpeechSession, status: PlayerStatus, timeout = 20_000) =>
  vi.waitFor(() => expect(session.getSnapshot().status).toBe(status), { timeout, interval: 25 })

let session: SpeechSession | undefined
afterEach(() => {
  session?.dispose()
  clearSpeechCache()
})

describe(`speech session in ${browser}`, () => {
  test('speaks while the audio streams in, ends in done; a replay comes from the cache', async () => {
    const { transport, signals } = localDify('rate=32000')
    session = createSpeechSession({ transport })
    const short = 'Hello there, this is short.'
    expect(await session.speak(short)).toBeUndefined()
    expect(session.getSnapshot()).toMatchObject({ status: 'done', engine: mp3Engine, request: { status: 'success' } })
    expect(session.getSnapshot().currentTime).toBeGreaterThan(1)
    expect(await session.speak(short)).toBeUndefined()
    expect(signals).toHaveLength(1)
    expect(session.getSnapshot().status).toBe('done')
    expect(session.getSnapshot().currentTime).toBeGreaterThan(1)
  }, 60_000)

  test('pause() holds playback (paused, time frozen); resume() goes on; stop() aborts the download', async () => {
    const { transport, signals } = localDify('rate=8000')
    session = createSpeechSession({ transport, cache: false })
    let settled: VoiceError | undefined | 'pending' = 'pending'
    void session.speak(story).then((error) => {
      settled = error
    })
    await vi.waitFor(() => expect(session!.getSnapshot().currentTime).toBeGreaterThan(0.3), { timeout: 20_000 })
    session.pause()
    await until(session, 'paused')
    const at = session.getSnapshot().currentTime
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(session.getSnapshot().currentTime).toBeLessThan(at + 0.3)
    expect(session.getSnapshot().status).toBe('paused')
    session.resume()
    await vi.waitFor(() => expect(session!.getSnapshot().currentTime).toBeGreaterThan(at + 0.4), { timeout: 10_000 })
    expect(session.getSnapshot().status).toBe('playing')
    session.stop()
    await vi.waitFor(() => expect(settled).not.toBe('pending'))
    expect(settled).toMatchObject({ code: 'aborted' })
    expect(signals[0]?.aborted).toBe(true)
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', error: null })
  }, 60_000)

  test('a provider error resolves speak() with it: status error, the request in error', async () => {
    const { transport } = localDify('status=503')
    session = createSpeechSession({ transport })
    const error = await session.speak('Hello')
    expect(error).toMatchObject({ code: 'provider_unavailable', retryable: true })
    expect(session.getSnapshot()).toMatchObject({ status: 'error', request: { status: 'error', error } })
  })
})
