// speakTextStream: text that is still being written (an LLM's tokens) spoken as it arrives. The text
// is cut into pieces at sentence ends (splitter.ts); each piece is one speech request, the next ones
// requested while the current one plays (at most `maxInFlight` at a time), and their audio is joined
// into one stream the player plays as one utterance, so the pieces follow each other with no gap.
import { isVoiceError, VoiceError } from '../../errors'
import type { StreamingPlayer } from '../../playback'
import type { AudioStream, SpeechTransport } from '../../transport'
import { asVoiceError, type RequestRunner, type RetryPolicy, replay, request as requestSpeech } from '../kernel'
import { createSentenceSplitter, type SentenceSplitterOptions } from './splitter'

/** Text as it is written: an LLM's token stream, the AI SDK's `textStream`, a body piped through `TextDecoderStream`. */
export type TextStream = AsyncIterable<string> | ReadableStream<string>

/** Finished speech, as kept by a speech cache. */
export interface CachedSpeech {
  mimeType: string
  parts: Uint8Array[]
}

/** Where finished pieces go, and where a piece is looked up before it is requested. */
export interface SpeechCache {
  get(key: string): CachedSpeech | undefined
  set(key: string, value: CachedSpeech): void
}

/** The cache key of a piece: the same as `useSpeak`'s for a sentence spoken alone. */
export const speechCacheKey = (provider: string, voice: string | undefined, text: string) =>
  JSON.stringify([provider, voice ?? '', text])

export interface StreamedPiece {
  /** 0, 1, 2… in the order spoken. */
  index: number
  text: string
  /** `performance.now()` when the piece was cut from the text (its last sentence was complete). */
  cutAt: number
  /** Set when its speech failed (after the retries): the piece is skipped, the following ones play. */
  error?: VoiceError
}

export interface SpeakTextStreamOptions extends RetryPolicy {
  /** What turns text into speech: a transport that speaks (`createDifySpeaker`, …). */
  speaker: Pick<SpeechTransport, 'provider' | 'speak'>
  player: StreamingPlayer
  text: TextStream
  voice?: string
  /** Aborting it stops reading the text, every request in flight and the playback of this reply. */
  signal?: AbortSignal
  /** Speech requests at once: the piece being received and the ones requested ahead of it. Default 2. */
  maxInFlight?: number
  /** Runs each piece's request (with its retries); see `RequestRunner`. */
  runRequest?: RequestRunner
  /** Stop what the player is playing (and its queue) instead of queueing after it. */
  interrupt?: boolean
  /** Finished pieces are stored here, and a piece found here is not requested. */
  cache?: SpeechCache
  /** How the text is cut (first piece one sentence, growing to seven, 250-character cap). */
  split?: SentenceSplitterOptions
  /** Seconds of audio buffered ahead below which a piece is cut as soon as one sentence is complete. Default 2.5. */
  eagerBelowSeconds?: number
  /** A piece was cut from the text and its speech requested. */
  onPiece?: (piece: StreamedPiece) => void
}

export interface StreamedSpeechResult {
  /**
   * The first failure, if any: `aborted` (stopped), the text stream's own error (a VoiceError; any other
   * error becomes `network`), a piece's speech error (that piece was skipped), or the player's.
   */
  error?: VoiceError
  /** Every piece cut from the text, in order, each with its error if its speech failed. */
  pieces: StreamedPiece[]
  /** The text of the pieces whose audio reached the player completely: what was heard (all of it, unless stopped). */
  heard: string
  /** The text of the other pieces, in order: what a retry has left to say ('' when all was heard). */
  unheard: string
}

interface Piece extends StreamedPiece {
  control: AbortController
  /** Its type once its request has answered; undefined when it failed. */
  audio: Promise<string | undefined>
  /** Received and not yet handed to the player (read ahead, as a browser buffers a response). */
  queue: Uint8Array[]
  /** Everything received, for the cache. */
  parts: Uint8Array[]
  /** Fully received or failed: no longer in flight. */
  settled: boolean
}

interface TextReader {
  next(): Promise<IteratorResult<unknown>>
  cancel(reason: unknown): void
}

function textReader(text: TextStream): TextReader {
  if (typeof (text as ReadableStream<string>).getReader === 'function') {
    const reader = (text as ReadableStream<string>).getReader()
    return {
      next: () => reader.read() as Promise<IteratorResult<unknown>>,
      cancel: (reason) => void reader.cancel(reason).catch(() => {}),
    }
  }
  const iterator = (text as AsyncIterable<string>)[Symbol.asyncIterator]()
  return {
    next: () => iterator.next(),
    cancel: (reason) => void Promise.resolve(iterator.return?.(reason)).catch(() => {}),
  }
}

const stopped = (reason?: unknown) =>
  isVoiceError(reason) ? reason : new VoiceError('aborted', 'Speaking the text stream was stopped', { cause: reason })

function textFailure(error: unknown): VoiceError {
  if (isVoiceError(error)) return error
  const why = error instanceof Error ? error.message : String(error)
  return new VoiceError('network', `The text stream failed: ${why}`, { cause: error, retryable: false })
}

/**
 * Speaks text while it is being written. Call it from a click or key handler (it unlocks audio
 * synchronously). Resolves when the reply has been spoken, stopped or has failed; never rejects.
 * An empty text stream sends no request and leaves the player as it was.
 */
export function speakTextStream(options: SpeakTextStreamOptions): Promise<StreamedSpeechResult> {
  const { speaker, player, voice, cache, onPiece } = options
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2)
  const eagerBelow = options.eagerBelowSeconds ?? 2.5
  player.unlock() // synchronously, while the caller's click still counts as a user gesture

  const control = new AbortController()
  const { signal } = control
  const text = textReader(options.text)
  const splitter = createSentenceSplitter(options.split)
  const pieces: Piece[] = []
  let textError: VoiceError | undefined
  let textDone = false
  let started: Promise<VoiceError | undefined> | undefined
  let starting = false
  /** Wakes whatever waits for a new piece or the end of the text. */
  const waiting = new Set<() => void>()
  const changed = () => {
    for (const resolve of waiting) resolve()
    waiting.clear()
  }

  const stopAll = (reason?: unknown) => {
    if (signal.aborted) return
    control.abort(stopped(reason))
    text.cancel(signal.reason)
    for (const piece of pieces) piece.control.abort(signal.reason)
    changed()
  }
  const outer = options.signal
  if (outer?.aborted) stopAll(outer.reason)
  else outer?.addEventListener('abort', () => stopAll(outer.reason), { once: true, signal })

  const inFlight = () => pieces.filter((p) => !p.settled).length

  /** Reads a piece's audio as it arrives (so it keeps coming while the piece before plays). */
  const drain = async (piece: Piece, audio: AudioStream, cached: boolean) => {
    const reader = audio.body.getReader()
    piece.control.signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true })
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (piece.control.signal.aborted) return
        if (done) break
        piece.queue.push(value)
        piece.parts.push(value)
        changed()
      }
      if (!cached && piece.parts.length)
        cache?.set(speechCacheKey(speaker.provider, voice, piece.text), {
          mimeType: audio.mimeType,
          parts: piece.parts,
        })
    } catch (error) {
      // Broke off inside: what arrived plays, the piece is reported, the next one follows.
      if (!piece.control.signal.aborted)
        piece.error = isVoiceError(error) ? error : new VoiceError('network', String(error), { cause: error })
    } finally {
      piece.settled = true
      changed()
      fill()
    }
  }

  const request = async (piece: Piece): Promise<string | undefined> => {
    const key = speechCacheKey(speaker.provider, voice, piece.text)
    const hit = cache?.get(key)
    if (hit) {
      void drain(piece, { mimeType: hit.mimeType, body: replay(hit.parts) }, true)
      return hit.mimeType
    }
    try {
      const audio = await requestSpeech({
        kind: 'speak',
        variables: { text: piece.text, voice },
        signal: piece.control.signal,
        runRequest: options.runRequest,
        retries: options.retries,
        retryDelayMs: options.retryDelayMs,
        attempt(signal) {
          if (!speaker.speak) throw new VoiceError('not_supported', `${speaker.provider} does not speak`)
          return speaker.speak(piece.text, { signal, voice })
        },
      })
      void drain(piece, audio, false)
      return audio.mimeType
    } catch (error) {
      if (piece.control.signal.aborted) return undefined
      piece.error = asVoiceError(error)
      piece.settled = true
      changed()
      fill()
      return undefined
    }
  }

  /** Cuts and requests pieces while fewer than `maxInFlight` requests are open. */
  let filling = false
  function fill() {
    if (filling) return // called again from inside (a player update while a piece starts): the loop goes on
    filling = true
    try {
      more()
    } finally {
      filling = false
    }
  }
  function more() {
    while (!signal.aborted && inFlight() < maxInFlight) {
      const { bufferedUntil, currentTime } = player.getSnapshot()
      // The listener would run out of audio: take whatever sentence is complete, without waiting for company.
      const eager = inFlight() === 0 && bufferedUntil - currentTime < eagerBelow
      const words = splitter.take(eager)
      if (words === undefined) break
      const piece = {
        index: pieces.length,
        text: words,
        cutAt: performance.now(),
        control: new AbortController(),
        queue: [],
        parts: [],
        settled: false,
      } as unknown as Piece
      pieces.push(piece)
      piece.audio = request(piece)
      onPiece?.({ index: piece.index, text: piece.text, cutAt: piece.cutAt })
      if (!starting) {
        starting = true
        start()
      }
      changed()
    }
  }

  const readText = async () => {
    // A source that never answers again must not hold the reply open once it is stopped.
    const abort = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    )
    abort.catch(() => {})
    try {
      for (;;) {
        const { done, value } = await Promise.race([text.next(), abort])
        if (signal.aborted) return
        if (done) break
        if (typeof value !== 'string')
          throw new VoiceError('invalid_request', `The text stream gave a ${typeof value}, not a string`)
        splitter.push(value)
        fill()
      }
      splitter.end()
    } catch (error) {
      if (signal.aborted) return
      textError = textFailure(error)
      text.cancel(textError)
    } finally {
      textDone = true
      fill()
      changed()
    }
  }

  /** Until something changes (a piece, its audio, the text's end, a stop). */
  const next = async () => {
    if (signal.aborted) throw signal.reason
    await new Promise<void>((resolve) => waiting.add(resolve))
    if (signal.aborted) throw signal.reason
  }

  /** Piece `index`, once it exists; undefined when there will be none. */
  const pieceAt = async (index: number): Promise<Piece | undefined> => {
    for (;;) {
      if (signal.aborted) throw signal.reason
      if (pieces[index]) return pieces[index]
      if (textDone && (textError || splitter.done)) return undefined
      await next()
    }
  }

  function start() {
    let current = 0
    let mimeType = ''
    let closed = false
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          for (;;) {
            const piece = await pieceAt(current)
            if (!piece) {
              closed = true
              return controller.close()
            }
            const type = await piece.audio
            if (signal.aborted) throw signal.reason
            if (type && type !== mimeType && !piece.error) {
              piece.error = new VoiceError('unsupported_playback', `A piece came as ${type}, not ${mimeType}`)
              piece.control.abort()
              piece.queue.length = 0
            }
            if (type) {
              while (!piece.queue.length && !piece.settled) await next()
              const chunk = piece.queue.shift()
              if (chunk) {
                controller.enqueue(chunk)
                return
              }
            }
            current++
            fill()
          }
        },
        cancel(reason) {
          stopAll(reason)
        },
      },
      { highWaterMark: 0 },
    )
    const source = async (playing: AbortSignal): Promise<AudioStream> => {
      // The player aborts this when the utterance ends, too: only a stop before the reply's end stops it.
      playing.addEventListener('abort', () => closed || stopAll(playing.reason), { once: true })
      // The type of the first piece that has audio is the type of the whole reply.
      for (let i = 0; ; i++) {
        const piece = await pieceAt(i)
        if (!piece) throw pieces.find((p) => p.error)?.error ?? textError ?? stopped()
        const type = await piece.audio
        if (signal.aborted) throw signal.reason
        if (type) {
          mimeType = type
          return { mimeType, body }
        }
      }
    }
    started = player.play(source, { interrupt: options.interrupt, signal })
  }

  const unsubscribe = player.subscribe(fill)
  return (async () => {
    try {
      await readText()
      const played = started ? await started : undefined
      const failure = signal.aborted
        ? (signal.reason as VoiceError)
        : (textError ?? pieces.find((p) => p.error)?.error ?? played)
      const wasHeard = (p: Piece) => !p.error && p.settled && p.parts.length > 0 && !p.queue.length
      const heard = pieces
        .filter(wasHeard)
        .map((p) => p.text)
        .join(' ')
      const unheard = pieces
        .filter((p) => !wasHeard(p))
        .map((p) => p.text)
        .join(' ')
      return {
        ...(failure ? { error: failure } : {}),
        pieces: pieces.map(({ index, text, cutAt, error }) => ({ index, text, cutAt, ...(error ? { error } : {}) })),
        heard,
        unheard,
      }
    } finally {
      unsubscribe()
      if (!signal.aborted) control.abort()
      for (const piece of pieces) piece.control.abort()
    }
  })()
}
