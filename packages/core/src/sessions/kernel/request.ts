// The one request primitive every session stands on: an attempt, retried under one policy with
// backoff, aborted by one signal, waiting out a lost connection where the session wants that, and run
// (with its retries) through the app's runner — a mutation on its QueryClient under VoiceProvider.
import { isVoiceError, VoiceError } from '../../errors'
import { sleep } from '../../wait'

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

/** `error` if it is a VoiceError; otherwise a VoiceError of `code` (`provider_error`) caused by it. */
export const asVoiceError = (error: unknown, code: 'provider_error' | 'aborted' = 'provider_error', quiet = false) =>
  isVoiceError(error) ? error : new VoiceError(code, quiet ? undefined : String(error), { cause: error })

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
  const run = async () => {
    let retried = 0
    let offline = 0
    let wait: { ms: number; orOnline: boolean } | undefined
    for (let attempt = 1; ; attempt++) {
      try {
        if (wait) await sleep(wait.ms, signal, wait)
        signal.throwIfAborted()
        spec.onAttempt?.(attempt)
        return await spec.attempt(signal)
      } catch (caught) {
        // Aborted (during an attempt or a wait): `aborted`, unless the abort's reason is a VoiceError.
        const error = signal.aborted ? asVoiceError(signal.reason, 'aborted', true) : asVoiceError(caught)
        const orOnline = spec.network === 'wait' && error.code === 'network'
        const retryable = error.retryable && retried < (spec.retries ?? DEFAULT_RETRIES)
        if (signal.aborted || !(orOnline || retryable)) throw error
        spec.onWait?.(error, orOnline ? 'offline' : 'backoff')
        wait = { ms: retryDelay(spec, orOnline ? Math.min(offline++, 4) : retried++), orOnline }
      }
    }
  }
  return (spec.runRequest ?? runDirectly)({ kind: spec.kind, variables: spec.variables, run })
}
