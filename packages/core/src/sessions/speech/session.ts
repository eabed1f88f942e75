// createSpeechSession: text → transport → streaming player, queued or interrupting, cached per
// (provider, voice, text), every request through the session's runner.
import { VoiceError } from '../../errors'
import {
  createStreamingPlayer,
  type PlayerState,
  type PlayOptions,
  type StreamingPlayer,
  type StreamingPlayerOptions,
} from '../../playback'
import { createStore, type ReadableStore } from '../../store'
import type { AudioStream, SpeechTransport } from '../../transport/types'
import { asVoiceError, type RequestRunner, type RetryPolicy, replay, request, runDirectly } from '../kernel'
import { type CachedSpeech, speechCacheKey } from '../streamed-speech'
import { cached, remember } from './cache'
import { isTextStream, type SpeakInput, type SpeakRequest, speakInput } from './input'

/** The latest speech request (the same names as a react-query mutation's). */
export interface SpeechRequestState {
  status: 'idle' | 'pending' | 'success' | 'error'
  isPending: boolean
  error: VoiceError | null
}

/** The player's state (its status words unchanged: idle → loading → buffering ⇄ playing ⇄ paused → done, blocked, error), and the latest request. */
export interface SpeechState extends PlayerState {
  request: SpeechRequestState
}

export interface SpeechOptions extends StreamingPlayerOptions, RetryPolicy {
  transport: SpeechTransport
  /** The voice when speak() names none. */
  voice?: string
  /** Keep finished audio per (provider, voice, text) so that a replay sends no request. Default true. */
  cache?: boolean
  /** speak() stops what is playing (and drops the queue) instead of queueing after it. Default false. */
  interrupt?: boolean
  /** Runs each speech request; see `RequestRunner`. */
  runRequest?: RequestRunner
}

export interface SpeechSession
  extends ReadableStore<SpeechState>,
    Pick<StreamingPlayer, 'play' | 'pause' | 'resume' | 'stop' | 'unlock' | 'setVolume' | 'setPlaybackRate'> {
  readonly player: StreamingPlayer
  /**
   * Requests and plays speech; call it from a click or key handler (it unlocks audio synchronously).
   * Resolves when the utterance has played (undefined) or failed or was stopped (the error). Never rejects.
   */
  speak(input: SpeakInput, options?: PlayOptions): Promise<VoiceError | undefined>
  /**
   * After a failure, says what was not heard: a text stream's reply from its first piece not heard (what
   * was heard is not said again), a sentence or request again. Nothing to retry: resolves undefined.
   * Call it from a click, like speak().
   */
  retry(options?: PlayOptions): Promise<VoiceError | undefined>
  /** Replaces the options (read at the next speak()). */
  configure(options: SpeechOptions): void
  /** Stops and releases the player. The session stays usable (StrictMode mounts twice). */
  dispose(): void
}

const IDLE_REQUEST: SpeechRequestState = { status: 'idle', isPending: false, error: null }

export function createSpeechSession(
  options: SpeechOptions,
  player: StreamingPlayer = createStreamingPlayer(options),
): SpeechSession {
  let o = options
  let latestRequest = IDLE_REQUEST
  let latest = 0
  /**
   * A reply from a text stream that failed where the player did not: the stream broke or a piece was
   * refused after what was cut had played (the player ended well), or before any audio (the player was
   * never asked). The session's error while the player rests, until the next speak(), play() or stop().
   */
  let streamFailure: VoiceError | undefined
  const derive = (): SpeechState => {
    const state = player.getSnapshot()
    if (streamFailure && (state.status === 'done' || state.status === 'idle'))
      return { ...state, status: 'error', error: streamFailure, request: latestRequest }
    return { ...state, request: latestRequest }
  }
  const store = createStore(derive())
  const refresh = () => store.set(derive())
  player.subscribe(refresh)
  /** What retry() says: the unheard rest of a reply, or a failed sentence or request. */
  let retryable: SpeakInput | undefined
  const forgetStreamFailure = () => {
    retryable = undefined
    if (!streamFailure) return
    streamFailure = undefined
    refresh()
  }

  /** The app's runner, keeping the latest request's state for `request`. */
  const runRequest: RequestRunner = <T>(next: Parameters<RequestRunner>[0]) => {
    const id = ++latest
    const settle = (state: SpeechRequestState) => {
      if (id !== latest) return
      latestRequest = state
      refresh()
    }
    settle({ status: 'pending', isPending: true, error: null })
    return (o.runRequest ?? runDirectly)(next).then(
      (result) => {
        settle({ status: 'success', isPending: false, error: null })
        return result as T
      },
      (cause) => {
        const error = asVoiceError(cause)
        settle({ status: 'error', isPending: false, error })
        throw error
      },
    )
  }

  const fetchSpeech = (transport: SpeechTransport, variables: SpeakRequest, signal: AbortSignal) =>
    request({
      kind: 'speak',
      variables,
      signal,
      runRequest,
      retries: o.retries,
      retryDelayMs: o.retryDelayMs,
      attempt(signal) {
        if (!transport.speak) throw new VoiceError('not_supported', `${transport.provider} does not speak`)
        const { text, voice, messageId } = variables
        return transport.speak(text, { signal, voice, messageId })
      },
    })

  const utterance = (variables: SpeakRequest, play?: PlayOptions) => {
    const { transport, cache = true, interrupt } = o
    const { text, voice, messageId } = variables
    const key = cache ? speechCacheKey(transport.provider, voice, text || `#${messageId}`) : ''
    let parts: Uint8Array[] | undefined
    let mimeType = ''
    const source = async (signal: AbortSignal): Promise<AudioStream> => {
      // Looked up when its turn comes: a sentence queued twice is fetched once.
      const hit = key && cached(key)
      if (hit) return { mimeType: hit.mimeType, body: replay(hit.parts) }
      const stream = await fetchSpeech(transport, variables, signal)
      if (!key) return stream
      const kept: Uint8Array[] = []
      parts = kept
      mimeType = stream.mimeType
      const keep = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          kept.push(chunk)
          controller.enqueue(chunk)
        },
      })
      return { mimeType, body: stream.body.pipeThrough(keep) }
    }
    return player.play(source, { interrupt, ...play }).then((error) => {
      // Only audio that played through to its end is kept.
      if (!error && parts) remember(key, mimeType, parts)
      return error
    })
  }

  const session: SpeechSession = {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    player,
    retry(play) {
      const input = retryable
      if (input === undefined) return Promise.resolve(undefined)
      return session.speak(input, play)
    },
    speak(input, play) {
      // Synchronously, while the click that called speak() still counts as a user gesture.
      player.unlock()
      const { transport, cache = true, voice, interrupt, retries, retryDelayMs } = o
      const speechCache = cache
        ? { get: cached, set: (key: string, { mimeType, parts }: CachedSpeech) => remember(key, mimeType, parts) }
        : undefined
      forgetStreamFailure()
      // A text stream's pieces go through the same runner, retry policy, cache and player as a sentence spoken alone.
      const requests = { runRequest, retries, retryDelayMs }
      const spoken = speakInput(input, play, {
        speaker: transport,
        requests,
        player,
        voice,
        interrupt,
        cache: speechCache,
        utterance,
        streamed(result) {
          // Only a failure leaves something to retry; a stop (aborted) does not.
          if (result.error && result.error.code !== 'aborted' && result.unheard) retryable = oneText(result.unheard)
        },
      })
      if (isTextStream(input)) {
        return spoken.then((error) => {
          if (error && error.code !== 'aborted' && player.getSnapshot().error !== error) {
            streamFailure = error
            refresh()
          }
          return error
        })
      }
      return spoken.then((error) => {
        if (error && error.code !== 'aborted') retryable = input
        return error
      })
    },
    play(source, options) {
      forgetStreamFailure()
      return player.play(source, options)
    },
    pause: player.pause,
    resume: player.resume,
    stop() {
      forgetStreamFailure()
      player.stop()
    },
    unlock: player.unlock,
    setVolume: player.setVolume,
    setPlaybackRate: player.setPlaybackRate,
    configure(next) {
      o = next
    },
    dispose: player.dispose,
  }
  return session
}

/** Text as a stream of one piece: spoken sentence by sentence, as the reply it is the rest of. */
async function* oneText(text: string): AsyncIterable<string> {
  yield text
}
