// The transcription session in Node: a fake recorder (the microphone is a browser API) and the
// Dify transcriber over real HTTP to a server in the test, checking what went over the wire.
import { describe, expect, test, vi } from 'vitest'
import { VoiceError } from '../../errors'
import { createDifyTranscriber } from '../../providers/dify'
import { watchAbortListeners } from '../../test-support/abort-listeners'
import { fakeRecorder } from '../../test-support/fakes'
import { rawParts, reply, useTestServer, wavBytes } from '../../test-support/http'
import type { SpeechTransport } from '../../transport/types'
import type { VoiceRequest } from '../kernel'
import { createTranscriptionSession, type TranscriptionOptions, type TranscriptionStatus } from './session'

const server = useTestServer({ text: 'turn on the kitchen lights' })
const dify = () => createDifyTranscriber({ baseUrl: server.url })
const bytes = wavBytes(4000)

/** Wraps a transport to keep the File object of every attempt. */
function watched(transport: SpeechTransport) {
  const files: Blob[] = []
  const signals: (AbortSignal | undefined)[] = []
  return {
    files,
    signals,
    transport: {
      ...transport,
      transcribe(audio: Blob, options?: Parameters<NonNullable<SpeechTransport['transcribe']>>[1]) {
        files.push(audio)
        signals.push(options?.signal)
        return transport.transcribe!(audio, options)
      },
    } as SpeechTransport,
  }
}

function setup(options: Partial<TranscriptionOptions> = {}, durationMs = 2000) {
  const recorder = fakeRecorder(bytes, durationMs)
  const onTranscript = vi.fn()
  const onError = vi.fn()
  const session = createTranscriptionSession({ transport: dify(), onTranscript, onError, ...options }, recorder)
  const statuses: TranscriptionStatus[] = [session.getSnapshot().status]
  session.subscribe(() => {
    const { status } = session.getSnapshot()
    if (statuses.at(-1) !== status) statuses.push(status)
  })
  const until = (status: TranscriptionStatus) =>
    vi.waitFor(() => expect(session.getSnapshot().status).toBe(status), { timeout: 5000 })
  const record = async () => {
    session.start()
    await until('recording')
    session.stop()
  }
  return { session, recorder, onTranscript, onError, statuses, until, record }
}

const uploaded = (index: number) => new Uint8Array(rawParts(server.received[index]!)[0]!.body)

describe('transcription session', () => {
  test('start → stop → the recording is sent once and the transcript arrives; the microphone is released', async () => {
    const { session, recorder, onTranscript, onError, statuses, until, record } = setup()
    await record()
    await until('done')
    const state = session.getSnapshot()
    expect(state.transcript?.text).toBe('turn on the kitchen lights')
    expect(state.recording?.durationMs).toBe(2000)
    expect(state.error).toBeNull()
    expect(statuses).toEqual(['idle', 'requesting', 'recording', 'stopping', 'transcribing', 'done'])
    expect(server.received).toHaveLength(1)
    expect(server.received[0]!.url).toBe('/audio-to-text')
    expect(uploaded(0)).toEqual(bytes)
    expect(onTranscript).toHaveBeenCalledExactlyOnceWith(state.transcript)
    expect(onError).not.toHaveBeenCalled()
    expect(recorder.open).toBe(0)
  })

  test('retryable failures are retried with backoff, sending the same prepared file; then the transcript', async () => {
    let n = 0
    server.handle((_request, response) =>
      ++n <= 2 ? reply(response, 503, { code: 'internal_server_error' }) : reply(response, 200, { text: 'ok' }),
    )
    const { transport, files } = watched(dify())
    const requests: VoiceRequest<unknown>[] = []
    const { session, until, record } = setup({
      transport,
      retries: 2,
      retryDelayMs: 20,
      runRequest: (request) => {
        requests.push(request)
        return request.run()
      },
    })
    await record()
    await until('done')
    expect(server.received).toHaveLength(3)
    for (const i of [0, 1, 2]) expect(uploaded(i)).toEqual(bytes)
    // Prepared once: every attempt sent the very same File.
    expect(files).toHaveLength(3)
    expect(files[1]).toBe(files[0])
    expect(files[2]).toBe(files[0])
    // One request (the runner's view) covers the attempts: the retry policy is the session's alone.
    expect(requests).toHaveLength(1)
    expect(requests[0]!.kind).toBe('transcribe')
    expect(requests[0]!.variables).toEqual({ recording: session.getSnapshot().recording })
    expect(session.getSnapshot().transcript?.text).toBe('ok')
  })

  test('retries run out → error (once); retry() resends the same bytes without recording again', async () => {
    server.handle((_request, response) => reply(response, 503, { code: 'internal_server_error' }))
    const { session, recorder, onError, until, record } = setup({ retries: 1, retryDelayMs: 10 })
    await record()
    await until('error')
    expect(session.getSnapshot().error).toMatchObject({ code: 'provider_unavailable', retryable: true })
    expect(server.received).toHaveLength(2)
    expect(onError).toHaveBeenCalledOnce()
    const kept = session.getSnapshot().recording
    expect(kept).not.toBeNull()

    server.handle((_request, response) => reply(response, 200, { text: 'second time lucky' }))
    session.retry()
    expect(session.getSnapshot().status).toBe('transcribing')
    await until('done')
    expect(session.getSnapshot().recording).toBe(kept)
    expect(session.getSnapshot().transcript?.text).toBe('second time lucky')
    expect(uploaded(2)).toEqual(bytes)
    expect(recorder.opened).toBe(1)
  })

  test('a failure a retry cannot fix is not retried', async () => {
    server.handle((_request, response) => reply(response, 400, { code: 'invalid_param', message: 'bad' }))
    const { session, until, record } = setup({ retries: 3, retryDelayMs: 10 })
    await record()
    await until('error')
    expect(session.getSnapshot().error).toMatchObject({ code: 'invalid_request', retryable: false })
    expect(server.received).toHaveLength(1)
  })

  test('cancel() during the upload aborts it: idle, no error, no onError, the recording kept for retry()', async () => {
    let answer: (() => void) | undefined
    server.handle((_request, response) => {
      answer = () => reply(response, 200, { text: 'late' })
    })
    const { transport, signals } = watched(dify())
    const { session, onError, onTranscript, until, record } = setup({ transport })
    await record()
    await vi.waitFor(() => expect(server.received).toHaveLength(1))
    expect(session.getSnapshot().status).toBe('transcribing')
    session.cancel()
    expect(signals[0]?.aborted).toBe(true)
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', error: null })
    answer?.()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(session.getSnapshot().status).toBe('idle')
    expect(onError).not.toHaveBeenCalled()
    expect(onTranscript).not.toHaveBeenCalled()
    expect(session.getSnapshot().recording).not.toBeNull()

    server.handle((_request, response) => reply(response, 200, { text: 'again' }))
    session.retry()
    await until('done')
    expect(uploaded(1)).toEqual(bytes)
  })

  test('cancel() during the backoff stops the retries', async () => {
    server.handle((_request, response) => reply(response, 503, { code: 'internal_server_error' }))
    const { session, onError, record } = setup({ retries: 5, retryDelayMs: 200 })
    await record()
    await vi.waitFor(() => expect(server.received).toHaveLength(1))
    session.cancel()
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(server.received).toHaveLength(1)
    expect(session.getSnapshot().status).toBe('idle')
    expect(onError).not.toHaveBeenCalled()
  })

  test('a recording under 0.5 s ends in recording_too_short and is not sent', async () => {
    const { session, onError, statuses, until, record } = setup({}, 200)
    await record()
    await until('error')
    expect(session.getSnapshot().error).toMatchObject({ name: 'VoiceError', code: 'recording_too_short' })
    expect(statuses).not.toContain('transcribing')
    expect(onError).toHaveBeenCalledOnce()
    expect(server.received).toHaveLength(0)
    // Nothing worth resending: retry() records again.
    session.retry()
    await until('recording')
    session.cancel()
  })

  test('the minimum is configurable, and the transport’s input.minSeconds wins when longer', async () => {
    const short = setup({ minDurationMs: 100 }, 200)
    await short.record()
    await short.until('done')
    expect(server.received).toHaveLength(1)

    const strict: SpeechTransport = { ...dify(), input: { ...dify().input, minSeconds: 1 } }
    const long = setup({ transport: strict }, 800)
    await long.record()
    await long.until('error')
    expect(long.session.getSnapshot().error?.code).toBe('recording_too_short')
    expect(server.received).toHaveLength(1)
  })

  test('cancel() while recording discards it, releases the microphone, sends nothing', async () => {
    const { session, recorder, until } = setup()
    session.start()
    await until('recording')
    expect(recorder.open).toBe(1)
    session.cancel()
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', recording: null })
    expect(recorder.open).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(server.received).toHaveLength(0)
  })

  test('toggle starts and stops; pause() and resume() reach the recorder', async () => {
    const { session, until } = setup()
    session.toggle()
    await until('recording')
    session.pause()
    expect(session.getSnapshot().status).toBe('paused')
    session.resume()
    expect(session.getSnapshot().status).toBe('recording')
    session.toggle()
    await until('done')
    expect(server.received).toHaveLength(1)
  })

  test('a microphone failure is the error, reported once; retry() without a recording starts again', async () => {
    const { session, recorder, onError, until } = setup()
    recorder.failNext = new VoiceError('permission_denied')
    session.start()
    await until('error')
    expect(session.getSnapshot().error?.code).toBe('permission_denied')
    expect(onError).toHaveBeenCalledOnce()
    session.retry()
    await until('recording')
    expect(session.getSnapshot().error).toBeNull()
    session.dispose()
  })

  test('dispose() releases the microphone and aborts an upload; the session stays usable', async () => {
    const { session, recorder, until, record } = setup()
    session.start()
    await until('recording')
    session.dispose()
    expect(recorder.open).toBe(0)
    expect(session.getSnapshot().status).toBe('idle')
    server.handle(() => {}) // never answers
    await record()
    await vi.waitFor(() => expect(server.received).toHaveLength(1))
    session.dispose()
    expect(session.getSnapshot().status).toBe('idle')
  })

  test('the commands keep their identity; configure() is read at the next send', async () => {
    const { session, until, record } = setup()
    const { start, stop, cancel, toggle, retry } = session
    const onTranscript = vi.fn()
    session.configure({ transport: dify(), language: 'de', onTranscript })
    await record()
    await until('done')
    expect(onTranscript).toHaveBeenCalledOnce()
    expect(session.start).toBe(start)
    expect([session.stop, session.cancel, session.toggle, session.retry]).toEqual([stop, cancel, toggle, retry])
  })

  test('its retries leave no abort listener behind on the upload signal (the backoff wait removes its own)', async () => {
    const listeners = watchAbortListeners()
    let attempts = 0
    // A transport that never touches the signal: any listener left is the session's own.
    const flaky: SpeechTransport = {
      provider: 'flaky',
      input: { mimeTypes: ['audio/wav'], maxBytes: 1e7 },
      transcribe: async () => {
        if (++attempts <= 2) throw new VoiceError('provider_unavailable', 'busy', { status: 503 })
        return { text: 'ok', segments: [], provider: 'flaky', raw: null }
      },
    }
    try {
      const { until, record } = setup({ transport: flaky, retries: 2, retryDelayMs: 1 })
      await record()
      await until('done')
      expect(attempts).toBe(3)
      expect(listeners.live.size).toBe(0)
    } finally {
      listeners.restore()
    }
  })
})
