// The transcription session without React, in a real engine with its fake microphone, through
// @voicekit/proxy to the local speech server (pocketsphinx).
import { afterEach, beforeEach, describe, expect, inject, test, vi } from 'vitest'
import { server } from 'vitest/browser'
import {
  expectFixtureSpeech,
  expectReleased,
  failMicrophone,
  sleep,
  spyOnMicrophone,
  type TrackSpy,
} from '../../../../../test/browser/microphone'
import type { VoiceError } from '../../errors'
import { createDifyTranscriber } from '../../providers'
import type { SpeechTransport } from '../../transport'
import { createTranscriptionSession, type TranscriptionSession, type TranscriptionStatus } from './session'

/** The Dify transcriber to the local speech server, with the fault of the next request chosen by the test. */
function faultyDify() {
  const state = { fault: '' }
  const base = createDifyTranscriber({
    baseUrl: `${inject('voiceBaseUrl')}/dify`,
    timeoutMs: 60_000,
    headers: (): Record<string, string> => (state.fault ? { 'x-speech-fault': state.fault } : {}),
  })
  const attempts: { bytes: Uint8Array; outcome?: string }[] = []
  const transport: SpeechTransport = {
    ...base,
    async transcribe(audio, options) {
      const attempt: { bytes: Uint8Array; outcome?: string } = { bytes: new Uint8Array(await audio.arrayBuffer()) }
      attempts.push(attempt)
      try {
        const transcript = await base.transcribe(audio, options)
        attempt.outcome = 'ok'
        return transcript
      } catch (error) {
        attempt.outcome = (error as VoiceError).code
        throw error
      }
    },
  }
  return { transport, attempts, state }
}

let mic: TrackSpy
beforeEach(() => {
  mic = spyOnMicrophone()
})
afterEach(() => {
  mic.restore()
})

const until = (session: TranscriptionSession, status: TranscriptionStatus, timeout = 10_000) =>
  vi.waitFor(() => expect(session.getSnapshot().status).toBe(status), { timeout, interval: 25 })

describe(`transcription session in ${server.browser}`, () => {
  test('503 → retried, then error; retry() resends the same bytes → the fixture transcript; the microphone released', async () => {
    const dify = faultyDify()
    dify.state.fault = 'status=503'
    const errors: VoiceError[] = []
    const session = createTranscriptionSession({
      transport: dify.transport,
      retries: 1,
      retryDelayMs: 50,
      onError: (error) => errors.push(error),
    })
    session.start()
    await until(session, 'recording')
    expect(mic.live()).toHaveLength(1)
    await sleep(4000) // the looping phrase whole at least once, wherever the recording cuts it
    session.stop()
    await until(session, 'error', 20_000)
    expect(session.getSnapshot().error).toMatchObject({ code: 'provider_unavailable', status: 503 })
    expect(dify.attempts.map((attempt) => attempt.outcome)).toEqual(['provider_unavailable', 'provider_unavailable'])
    expect(errors).toHaveLength(1)
    expectReleased(mic)

    dify.state.fault = ''
    const kept = session.getSnapshot().recording
    session.retry()
    await until(session, 'done', 45_000)
    expect(session.getSnapshot().recording).toBe(kept)
    expect(dify.attempts).toHaveLength(3)
    expect(dify.attempts[2]!.bytes).toEqual(dify.attempts[0]!.bytes)
    expect(dify.attempts[0]!.bytes.length).toBeGreaterThan(5000)
    expectFixtureSpeech(session.getSnapshot().transcript?.text)
    expect(mic.calls).toBe(1)
    session.dispose()
  }, 90_000) // two rounds through pocketsphinx on a busy machine

  test('a 0.2 s recording ends in recording_too_short, sends nothing, releases the microphone', async () => {
    const dify = faultyDify()
    const session = createTranscriptionSession({ transport: dify.transport })
    session.start()
    await until(session, 'recording')
    await sleep(200)
    session.stop()
    await until(session, 'error')
    expect(session.getSnapshot().error).toMatchObject({ name: 'VoiceError', code: 'recording_too_short' })
    await sleep(200)
    expect(dify.attempts).toHaveLength(0)
    expectReleased(mic)
  })

  test('cancel() while recording and dispose() both release the microphone; the session is usable after dispose()', async () => {
    const session = createTranscriptionSession({ transport: faultyDify().transport })
    session.start()
    await until(session, 'recording')
    session.cancel()
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', recording: null })
    expect(mic.live()).toHaveLength(0)
    session.start()
    await until(session, 'recording')
    session.pause()
    await until(session, 'paused')
    session.dispose()
    expect(session.getSnapshot().status).toBe('idle')
    expect(mic.live()).toHaveLength(0)
    session.start()
    await until(session, 'recording')
    session.dispose()
    expectReleased(mic, 3)
  })

  test('a denied permission is the error; the microphone was never left open', async () => {
    const restore = failMicrophone(new DOMException('no', 'NotAllowedError'))
    try {
      const session = createTranscriptionSession({ transport: faultyDify().transport })
      session.start()
      await until(session, 'error')
      expect(session.getSnapshot().error?.code).toBe('permission_denied')
      expect(mic.live()).toHaveLength(0)
    } finally {
      restore()
    }
  })
})
