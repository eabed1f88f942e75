// Abortable waits on events and time, for playback and the session kernel alike. Each wait removes its
// listeners and timer once it settles, so a long-lived signal collects none.

/** Resolves on `type`; rejects with `error()` on an 'error' event (when given), or with the abort reason. */
export function once(target: EventTarget, type: string, signal: AbortSignal, error?: () => unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = new AbortController()
    const on = (from: EventTarget, name: string, then: () => void) =>
      from.addEventListener(
        name,
        () => {
          off.abort()
          then()
        },
        { signal: off.signal },
      )
    on(target, type, resolve)
    if (error) on(target, 'error', () => reject(error()))
    on(signal, 'abort', () => reject(signal.reason))
    if (signal.aborted) {
      off.abort()
      reject(signal.reason)
    }
  })
}

/**
 * Waits `ms` — or, with `orOnline`, until the browser says it is online again if that comes first — or
 * rejects with the abort reason as soon as `signal` is aborted.
 */
export function sleep(ms: number, signal?: AbortSignal, { orOnline = false } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (aborted?: boolean) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', abort)
      if (orOnline) globalThis.removeEventListener?.('online', wake)
      aborted ? reject(signal!.reason) : resolve()
    }
    const wake = () => settle()
    const abort = () => settle(true)
    const timer = setTimeout(wake, ms)
    signal?.addEventListener('abort', abort)
    if (orOnline) globalThis.addEventListener?.('online', wake)
    if (signal?.aborted) abort()
  })
}
