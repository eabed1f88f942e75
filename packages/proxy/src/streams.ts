// The stream plumbing: nothing here buffers a body in full (except readAll, for small capped JSON).

export interface IdleTimer {
  /** (Re)starts the countdown: called on every sign of progress. */
  readonly touch: () => void
  readonly clear: () => void
}

/**
 * Calls `onIdle` once nothing has touched the timer for `ms` milliseconds. Each touch re-arms the timer.
 * (A cheaper touch that only noted the time and let the timer re-arm itself for the rest of the silence
 * measured no faster in the bench, and under load cut stalled streams seconds late.)
 */
export function idleTimer(ms: number, onIdle: () => void): IdleTimer {
  let handle: ReturnType<typeof setTimeout> | undefined
  let cleared = false
  const clear = () => {
    cleared = true
    if (handle !== undefined) clearTimeout(handle)
    handle = undefined
  }
  const touch = () => {
    if (cleared) return
    if (handle !== undefined) clearTimeout(handle)
    handle = setTimeout(() => {
      handle = undefined
      onIdle()
    }, ms)
  }
  return { touch, clear }
}

/** Thrown into the upload stream when it grows past the limit. */
export class UploadLimitError extends Error {
  override readonly name = 'UploadLimitError'
}

export interface LimitedUpload {
  readonly stream: ReadableStream<Uint8Array>
  /** Stops reading the source (when the upstream request ended without consuming the stream). */
  readonly abandon: () => void
}

/**
 * Passes `source` through, counting bytes. The chunk that would take the total past `limit` is never
 * passed on: the stream errors instead (and `onTooLarge` runs), so downstream sees at most `limit` bytes.
 */
export function limitUpload(
  source: ReadableStream<Uint8Array>,
  limit: number,
  onChunk: () => void,
  onTooLarge: () => void,
): LimitedUpload {
  const reader = source.getReader()
  let total = 0
  const abandon = () => {
    reader.cancel(new Error('the upload was abandoned')).catch(() => {})
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read()
      if (done) {
        controller.close()
        return
      }
      total += value.byteLength
      if (total > limit) {
        const error = new UploadLimitError(`upload larger than ${limit} bytes`)
        onTooLarge()
        controller.error(error)
        reader.cancel(error).catch(() => {})
        return
      }
      onChunk()
      controller.enqueue(value)
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
  return { stream, abandon }
}

/** The whole of a (capped) stream as text. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return text + decoder.decode()
    text += decoder.decode(value, { stream: true })
  }
}

export interface RelayHooks {
  readonly onChunk: () => void
  /** The body ended, normally or with an error. */
  readonly onDone: () => void
  /** The consumer went away before the end. */
  readonly onCancel: () => void
}

/**
 * A pull-through copy of the provider's response body, with hooks for the idle timer and clean-up.
 * `stopped` (the run's abort: idle timeout, upload limit) errors it at once, whatever the provider's body
 * does with the abort: a stalled body whose pending read the fetch implementation left hanging was cut
 * only by the client's own timeout (1 in a few loaded CI runs of the fault matrix).
 */
export function relay(
  source: ReadableStream<Uint8Array>,
  hooks: RelayHooks,
  stopped?: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = source.getReader()
  let ended = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const stop = () => {
        if (ended) return
        ended = true
        hooks.onDone()
        controller.error(stopped?.reason)
        reader.cancel(stopped?.reason).catch(() => {})
      }
      if (stopped?.aborted) stop()
      else stopped?.addEventListener('abort', stop, { once: true })
    },
    async pull(controller) {
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await reader.read()
      } catch (error) {
        if (ended) return
        ended = true
        hooks.onDone()
        controller.error(error)
        return
      }
      if (ended) return
      if (result.done) {
        ended = true
        hooks.onDone()
        controller.close()
        return
      }
      hooks.onChunk()
      controller.enqueue(result.value)
    },
    cancel(reason) {
      hooks.onCancel()
      return reader.cancel(reason).catch(() => {})
    },
  })
}
