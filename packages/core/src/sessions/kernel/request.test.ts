// The kernel in Node: one request primitive, its retry policy, its waits and their clean-up.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { VoiceError } from '../../errors'
import { watchAbortListeners } from '../../test-support/abort-listeners'
import { sleep } from '../../wait'
import { DEFAULT_RETRIES, request, retryDelay, type VoiceRequest } from './request'

/** An attempt that fails with each of `errors` in turn, then answers `ok`. */
function failing(...errors: VoiceError[]) {
  const signals: AbortSignal[] = []
  const attempt = async (signal: AbortSignal) => {
    signals.push(signal)
    const error = errors[signals.length - 1]
    if (error) throw error
    return 'ok'
  }
  return { attempt, signals }
}

const busy = () => new VoiceError('provider_unavailable', 'busy', { status: 503 })
const offline = () => new VoiceError('network', 'offline')
const spec = { kind: 'transcribe' as const, variables: null, retryDelayMs: 1 }

afterEach(() => vi.restoreAllMocks())

describe('request', () => {
  test('one policy: 2 retries by default, backoff from 500 ms doubled, capped at 8 s', () => {
    expect(DEFAULT_RETRIES).toBe(2)
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelay({}, n))).toEqual([500, 1000, 2000, 4000, 8000, 8000])
    expect(retryDelay({ retryDelayMs: 100 }, 2)).toBe(400)
  })

  test('a retryable failure is tried again up to `retries` times, then its error', async () => {
    const a = failing(busy(), busy())
    expect(await request({ ...spec, signal: new AbortController().signal, attempt: a.attempt })).toBe('ok')
    expect(a.signals).toHaveLength(3)
    const b = failing(busy(), busy(), busy())
    const error = await request({ ...spec, signal: new AbortController().signal, attempt: b.attempt }).catch((e) => e)
    expect(error).toMatchObject({ code: 'provider_unavailable' })
    expect(b.signals).toHaveLength(3)
  })

  test('a failure that is not retryable is not tried again; a thrown non-VoiceError becomes one', async () => {
    const a = failing(new VoiceError('unauthorized', 'no key', { status: 401 }))
    await expect(request({ ...spec, signal: new AbortController().signal, attempt: a.attempt })).rejects.toMatchObject({
      code: 'unauthorized',
    })
    expect(a.signals).toHaveLength(1)
    const thrown = request({
      ...spec,
      signal: new AbortController().signal,
      attempt: async () => {
        throw new TypeError('boom')
      },
    })
    await expect(thrown).rejects.toMatchObject({ name: 'VoiceError', code: 'provider_error' })
  })

  test("network: 'wait' — lost-connection failures cost no retry; the wait is reported, then the next attempt", async () => {
    const a = failing(offline(), offline(), offline(), busy())
    const events: string[] = []
    const result = await request({
      ...spec,
      retries: 1,
      network: 'wait',
      signal: new AbortController().signal,
      attempt: a.attempt,
      onAttempt: (n) => events.push(`attempt ${n}`),
      onWait: (error, reason) => events.push(`${reason} ${error.code}`),
    })
    expect(result).toBe('ok')
    expect(events).toEqual([
      'attempt 1',
      'offline network',
      'attempt 2',
      'offline network',
      'attempt 3',
      'offline network',
      'attempt 4',
      'backoff provider_unavailable',
      'attempt 5',
    ])
  })

  test("network: 'retry' (default) — a network failure spends a retry like any retryable error", async () => {
    const a = failing(offline(), offline())
    await expect(
      request({ ...spec, retries: 1, signal: new AbortController().signal, attempt: a.attempt }),
    ).rejects.toMatchObject({ code: 'network' })
    expect(a.signals).toHaveLength(2)
  })

  test('abort during a backoff rejects with aborted at once, and no attempt follows', async () => {
    const control = new AbortController()
    const a = failing(busy())
    const pending = request({ ...spec, retryDelayMs: 60_000, signal: control.signal, attempt: a.attempt })
    await vi.waitFor(() => expect(a.signals).toHaveLength(1))
    control.abort()
    await expect(pending).rejects.toMatchObject({ code: 'aborted' })
    expect(a.signals).toHaveLength(1)
  })

  test('the runner sees one request, its retries inside it', async () => {
    const runs: VoiceRequest<unknown>[] = []
    const a = failing(busy())
    const result = await request({
      kind: 'speak',
      variables: { text: 'hi' },
      retryDelayMs: 1,
      signal: new AbortController().signal,
      attempt: a.attempt,
      runRequest: (r) => {
        runs.push(r)
        return r.run()
      },
    })
    expect(result).toBe('ok')
    expect(runs.map((r) => [r.kind, r.variables])).toEqual([['speak', { text: 'hi' }]])
    expect(a.signals).toHaveLength(2)
  })

  test('every wait removes its abort listener when it ends: a long-lived signal collects none', async () => {
    const listeners = watchAbortListeners()
    try {
      const control = new AbortController()
      const a = failing(busy(), busy())
      expect(await request({ ...spec, signal: control.signal, attempt: a.attempt })).toBe('ok')
      expect(listeners.live.size).toBe(0)
    } finally {
      listeners.restore()
    }
  })
})

describe('sleep', () => {
  test('resolves after its time; rejects with the abort reason at once, and leaves no listener', async () => {
    const listeners = watchAbortListeners()
    try {
      await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined()
      const control = new AbortController()
      const reason = new VoiceError('timeout')
      const slept = sleep(60_000, control.signal)
      control.abort(reason)
      await expect(slept).rejects.toBe(reason)
      await expect(sleep(1, AbortSignal.abort(reason))).rejects.toBe(reason)
      expect(listeners.live.size).toBe(0)
    } finally {
      listeners.restore()
    }
  })
})
