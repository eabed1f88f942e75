// Abortable waits on events and time: every wait ends when the utterance does.

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

/** Waits `ms`, or rejects with the abort reason. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  const timer = new EventTarget()
  setTimeout(() => timer.dispatchEvent(new Event('t')), ms)
  return once(timer, 't', signal)
}
