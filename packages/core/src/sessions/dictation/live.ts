// The real-time side of a dictation: one streaming socket at a time, fed every captured sample as it
// arrives, committed where the segmenter ends a segment. A segment whose audio all went to the socket
// that is still open waits for that socket's final; any other segment (the socket dropped, or opened
// after it began) is the controller's to send another way. Reconnecting follows the kernel's policy:
// a lost connection waits for the network and costs no retry.
import { VoiceError } from '../../errors'
import type { StreamingTranscriptionEvent, StreamingTranscriptionSession } from '../../transport/streaming'
import type { SpeechTransport, TranscriptWord } from '../../transport/types'
import { type RequestRunner, request } from '../kernel'

export interface LiveFinal {
  text: string
  /** On the recording's clock (seconds), when the provider gave word times. */
  words?: TranscriptWord[]
}

export interface LiveLinkOptions {
  transport: SpeechTransport
  language?: string
  runRequest?: RequestRunner
  retries?: number
  retryDelayMs?: number
  /** The provider's interim text for the utterance in progress ('' once it is final). */
  onInterim(text: string): void
  /** Waiting for the network to reconnect (true), or connected again (false). */
  onOffline(offline: boolean): void
  /** How long a commit's final may take before the segment is sent another way. Default 20 000 ms. */
  finalTimeoutMs?: number
}

export interface LiveLink {
  /** Sends captured samples; `at` is the recording's sample index of the chunk's first sample. */
  push(chunk: Float32Array, at: number): void
  /**
   * A segment that began at sample `start` ended here. When the open socket had all of its speech, it
   * is committed there and the promise resolves with the final (or rejects with a `network` VoiceError
   * if the socket drops first). Otherwise what the socket holds is committed and its final dropped, and
   * the result is null: the segment is the caller's to send another way.
   */
  commit(start: number): Promise<LiveFinal> | null
  /** Waits for the finals still due, then closes the socket. */
  finish(): Promise<void>
  /** Closes at once; finals still due reject with `aborted`. */
  close(): void
}

const RATE = 16_000

interface Due {
  resolve(final: LiveFinal): void
  reject(error: VoiceError): void
  /** Where the socket's clock starts on the recording's (seconds), to shift word times; null: drop it. */
  offset: number | null
}

/** What waits for a socket to open: audio, and the commits made between it. */
type Held = Float32Array | Due

/** Most audio held while no socket is open; past it, the segments held go another way. */
const MAX_HELD_SAMPLES = 60 * RATE

export function createLiveLink(options: LiveLinkOptions): LiveLink {
  const { transport } = options
  if (!transport.openTranscriptionStream) {
    throw new TypeError(`The ${transport.provider} transport has no real-time transcription`)
  }
  const stop = new AbortController()
  let socket: StreamingTranscriptionSession | null = null
  let connecting = false
  /** The recording position from which the open socket (or the buffer, while none is) has every sample. */
  let liveSince = 0
  /** What was captured and committed while no socket was open: the next socket gets it first. */
  let held: Held[] = []
  let heldSamples = 0
  /** The next sample's recording position. */
  let position = 0
  /** Where the last commit was made (a segment's speech comes after it). */
  let lastCommit = 0
  /** Commits the open socket owes a final, in order. */
  let due: Due[] = []
  /** Every commit still waiting for its final, on a socket or held. */
  const waiting = new Set<Due>()
  let closed = false
  /** A failure that trying again cannot mend (a refused key): no more sockets; segments go another way. */
  let broken = false
  /** Resolves finish() once nothing is waited for. */
  let drained: (() => void) | null = null

  const settle = (item: Due) => {
    waiting.delete(item)
    if (waiting.size === 0) drained?.()
  }
  const heldDue = () => held.filter((x): x is Due => !(x instanceof Float32Array))
  const failAll = (items: Due[], error: VoiceError) => {
    for (const item of items) item.reject(error)
  }
  /** Nothing held any more; capture from `position` on is held next. */
  const release = (error?: VoiceError) => {
    if (error) failAll(heldDue(), error)
    held = []
    heldSamples = 0
    liveSince = position
  }

  function onEvent(event: StreamingTranscriptionEvent) {
    if (closed && event.type !== 'final') return
    switch (event.type) {
      case 'interim':
        options.onInterim(event.text)
        break
      case 'final': {
        options.onInterim('')
        const item = due.shift()
        if (!item) break
        // A commit whose transcription failed: the segment goes another way (or fails, as the provider said).
        if (event.error) {
          item.reject(event.error)
          break
        }
        const { offset } = item
        const words =
          offset === null
            ? undefined
            : event.words?.map((w) => ({
                text: w.text,
                start: w.start + offset,
                end: w.end === null ? null : w.end + offset,
              }))
        item.resolve({ text: event.text.trim(), ...(words && { words }) })
        break
      }
      // A provider error that leaves the session usable (a throttled commit) is not the person's to see;
      // one that ends it arrives as `closed` with its error.
      case 'closed': {
        socket = null
        options.onInterim('')
        const error =
          event.error ??
          new VoiceError('network', 'The real-time connection closed before the last words were final', {
            retryable: true,
          })
        if (!error.retryable) broken = true
        // The segments waiting for it go another way (a retryable failure), or fail as the provider said.
        const owed = due
        due = []
        failAll(owed, error)
        // Capture goes on: from here it is held for the next socket.
        release()
        connect()
        break
      }
    }
  }

  /** Opens a socket (one at a time), under the kernel's retry policy. */
  function connect() {
    if (socket || connecting || closed || broken) return
    connecting = true
    request({
      kind: 'transcribe',
      variables: { realtime: transport.provider },
      signal: stop.signal,
      runRequest: options.runRequest,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      network: 'wait',
      onWait: (_error, reason) => {
        if (reason === 'offline') options.onOffline(true)
      },
      attempt: (signal) =>
        transport.openTranscriptionStream!({
          ...(options.language && { language: options.language }),
          signal,
          onEvent,
        }),
    }).then(
      (session) => {
        connecting = false
        if (closed) {
          session.close()
          return
        }
        socket = session
        options.onOffline(false)
        // What was held goes first, commits in their places: the socket is live from the held audio's start.
        const offset = liveSince / RATE
        for (const item of held) {
          if (item instanceof Float32Array) session.send(item)
          else {
            session.commit()
            if (item.offset !== null) item.offset = offset
            due.push(item)
          }
        }
        held = []
        heldSamples = 0
      },
      (error: VoiceError) => {
        connecting = false
        // Anything but running out of retries on a retryable failure ends real time; either way what was
        // held goes another way, and (if not ended) the next push tries again.
        if (!error.retryable) broken = true
        release(error)
      },
    )
  }

  return {
    push(chunk, at) {
      if (closed) return
      position = at + chunk.length
      if (socket) {
        socket.send(chunk)
        return
      }
      if (broken) return
      held.push(chunk)
      heldSamples += chunk.length
      // Offline for long: the segments held go another way, and holding starts again from here.
      if (heldSamples > MAX_HELD_SAMPLES)
        release(new VoiceError('network', 'Offline too long for the real-time connection', { retryable: true }))
      connect()
    },
    commit(start) {
      const commitAt = lastCommit
      lastCommit = position
      // Its speech came after the previous commit (or after its own start): was all of it sent (or held)?
      const whole = !broken && liveSince <= Math.max(start, commitAt)
      if (!socket && !whole) {
        release()
        return null
      }
      let item!: Due
      const final = whole
        ? new Promise<LiveFinal>((resolve, reject) => {
            item = boundedDue(resolve, reject)
          })
        : null
      if (!whole) item = { resolve: () => {}, reject: () => {}, offset: null }
      if (socket) {
        socket.commit()
        if (item.offset !== null) item.offset = liveSince / RATE
        due.push(item)
      } else held.push(item)
      if (!whole) liveSince = position
      return final
    },
    async finish() {
      if (waiting.size > 0) await new Promise<void>((resolve) => (drained = resolve))
      closed = true
      stop.abort()
      socket?.close()
      socket = null
    },
    close() {
      closed = true
      stop.abort()
      socket?.close()
      socket = null
      const cancelled = new VoiceError('aborted', 'The dictation was cancelled')
      failAll([...due, ...heldDue()], cancelled)
      due = []
      held = []
    },
  }

  /**
   * A commit's place in the queue. A provider that never answers must not hold the dictation: past the
   * bound the segment goes another way, and a late final is dropped in its place.
   */
  function boundedDue(resolve: (final: LiveFinal) => void, reject: (error: VoiceError) => void): Due {
    const item: Due = {
      offset: 0,
      resolve: (final) => finish(() => resolve(final)),
      reject: (error) => finish(() => reject(error)),
    }
    let done = false
    const finish = (then: () => void) => {
      if (done) return
      done = true
      clearTimeout(timer)
      settle(item)
      then()
    }
    const timer = setTimeout(
      () =>
        finish(() => reject(new VoiceError('timeout', 'The real-time transcript took too long', { retryable: true }))),
      options.finalTimeoutMs ?? 20_000,
    )
    waiting.add(item)
    return item
  }
}

/**
 * One segment transcribed on a socket of its own: its audio, a commit, its final, closed. For a transport
 * that only streams, when a segment could not be transcribed live (recovery, or a dropped socket).
 */
export async function transcribeOverSocket(
  transport: SpeechTransport,
  samples: Float32Array,
  signal: AbortSignal,
  language?: string,
  finalTimeoutMs = 20_000,
): Promise<LiveFinal> {
  let resolveFinal!: (final: LiveFinal) => void
  let rejectFinal!: (error: VoiceError) => void
  const final = new Promise<LiveFinal>((resolve, reject) => {
    resolveFinal = resolve
    rejectFinal = reject
  })
  const session = await transport.openTranscriptionStream!({
    ...(language && { language }),
    signal,
    onEvent(event) {
      if (event.type === 'final') resolveFinal({ text: event.text.trim() })
      else if (event.type === 'closed')
        rejectFinal(event.error ?? new VoiceError('network', 'The real-time connection closed', { retryable: true }))
      else if (event.type === 'error' && event.fatal) rejectFinal(event.error)
    },
  })
  try {
    session.send(samples)
    session.commit()
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new VoiceError('timeout', 'The real-time transcript took too long', { retryable: true })),
        finalTimeoutMs,
      )
    })
    return await Promise.race([final, late]).finally(() => clearTimeout(timer))
  } finally {
    session.close()
  }
}
