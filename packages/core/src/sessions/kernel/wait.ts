import { VoiceError } from '../../errors'

/** The reason an aborted signal gives, as a VoiceError (`aborted` unless it already is one). */
export const abortReason = (signal: AbortSignal): VoiceError =>
  signal.reason instanceof VoiceError ? signal.reason : new VoiceError('aborted', undefined, { cause: signal.reason })

/**
 * Resolves after `ms`, or — with `wakeOnOnline` — as soon as the browser says it is online again; rejects
 * with the abort's reason as soon as `signal` is aborted. Its timer and listeners are gone once it settles.
 */
export function sleep(ms: number, signal?: AbortSignal, wakeOnOnline = false): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal))
    const online = wakeOnOnline && typeof addEventListener === 'function'
    const timer = setTimeout(finish, ms)
    function cleanUp() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', abort)
      if (online) removeEventListener('online', finish)
    }
    function finish() {
      cleanUp()
      resolve()
    }
    function abort() {
      cleanUp()
      reject(abortReason(signal!))
    }
    signal?.addEventListener('abort', abort, { once: true })
    if (online) addEventListener('online', finish)
  })
}
