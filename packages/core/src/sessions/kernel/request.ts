// The one request primitive every session stands on: an attempt, retried under one policy with
// backoff, aborted by one signal, waiting out a lost connection where the session wants that, and run
// (with its retries) through the app's runner — a mutation on its QueryClient under VoiceProvider.
import { isVoiceError, VoiceError } from '../../errors'
import { sleep } from '../../wait'
import { abortReason } from './wait'

/** One request a session makes to its transport: a transcription or a speech request, with its retries. */
export interface VoiceRequest<T> {
  kind: 'transcribe' | 'speak'
  /** What the request is about (the recording, the segment, or the text and voice): for devtools and global handlers. */
  variables: unknown
  run(): Promise<T>
}

/**
 * Runs a session's requests. The default just runs them; `@voicekit/react` runs each as a mutation on the
 * app's QueryClient so that devtools, `useIsMutating` and global error handlers see it. A runner only
 * observes: it must not retry (the kernel owns the retry policy).
 */
export type RequestRunner = <T>(request: VoiceRequest<T>) => Promise<T>

export const runDirectly: RequestRunner = (request) => request.run()

export const asVoiceError = (error: unknown): VoiceError =>
  isVoiceError(error) ? error : new VoiceError('provider_error', String(error), { cause: error })

/** How a failed request is tried again: the same for every session. */
export interface RetryPolicy {
  /** Automatic retries of a request that failed with a retryable error (`VoiceError.retryable`). Default 2. */
  retries?: number
  /** The first retry's delay in ms, doubled for each next one, capped at 8 s. Default 500. */
  retryDelayMs?: number
}

export const DEFAULT_RETRIES = 2
export const DEFAULT_RETRY_DELAY_MS = 500
const MAX_RETRY_DELAY_MS = 8000

/** The delay before retry number `attempt` (0 for the first). */
export const retryDelay = (policy: RetryPolicy, attempt: number): number =>
  Math.min((policy.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * 2 ** attempt, MAX_RETRY_DELAY_MS)

export interface RequestSpec<T> extends RetryPolicy {
  kind: VoiceRequest<T>['kind']
  variables: unknown
  /** One attempt. */
  attempt(signal: AbortSignal): Promise<T>
  /** Aborts the attempt in flight and any wait; the request then rejects with `aborted`. */
  signal: AbortSignal
  runRequest?: RequestRunner
  /**
   * `retry` (default): a `network` failure is a retryable error like any other. `wait` (dictation): it
   * waits for the connection — the `online` event, or a backoff — and costs no retry.
   */
  network?: 'retry' | 'wait'
  /** An attempt starts: 1, 2, … */
  onAttempt?(attempt: number): void
  /** An attempt failed and the request waits before the next: for the connection (`offline`) or a backoff. */
  onWait?(error: VoiceError, reason: 'offline' | 'backoff'): void
}

/** Runs `attempt` until it succeeds, fails for good, or `signal` aborts. Rejects with a VoiceError. */
export function request<T>(spec: RequestSpec<T>): Promise<T> {
  const { signal } = spec
  const retries = spec.retries ?? DEFAULT_RETRIES
  const run = async () => {
    let retried = 0
    let offlineWaits = 0
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw abortReason(signal)
      spec.onAttempt?.(attempt)
      try {
        return await spec.attempt(signal)
      } catch (caught) {
        if (signal.aborted) throw abortReason(signal)
        const error = asVoiceError(caught)
        if (spec.network === 'wait' && error.code === 'network') {
          spec.onWait?.(error, 'offline')
          await sleep(retryDelay(spec, Math.min(offlineWaits++, 4)), signal, { orOnline: true }).catch(() => {
            throw abortReason(signal)
          })
          continue
        }
        if (!error.retryable || retried >= retries) throw error
        spec.onWait?.(error, 'backoff')
        await sleep(retryDelay(spec, retried++), signal).catch(() => {
          throw abortReason(signal)
        })
      }
    }
  }
  return (spec.runRequest ?? runDirectly)({ kind: spec.kind, variables: spec.variables, run })
}
