import type { VoiceError } from '../../errors'
import type { PlayOptions, StreamingPlayer } from '../../playback'
import type { SpeechTransport } from '../../transport/types'
import type { RequestRunner, RetryPolicy } from '../kernel'
import { type SpeechCache, type StreamedSpeechResult, speakTextStream, type TextStream } from '../streamed-speech'

export interface SpeakRequest {
  text: string
  voice?: string
  /** Dify: speak a message of the conversation by its id. */
  messageId?: string
}

/**
 * What `speak()` takes: text, a request, or a stream of text still being written (an LLM's tokens,
 * `AsyncIterable<string>` or `ReadableStream<string>`), spoken sentence by sentence as it arrives.
 */
export type SpeakInput = string | SpeakRequest | TextStream

/** What a speech session lends `speakInput`. */
export interface SpeakContext {
  /** Speaks one piece of a text stream. */
  speaker: Pick<SpeechTransport, 'provider' | 'speak'>
  /** The session's runner and retry policy, for each piece of a text stream. */
  requests: RetryPolicy & { runRequest: RequestRunner }
  player: StreamingPlayer
  /** The session's speech cache, unless turned off. */
  cache?: SpeechCache
  /** The session's voice, for inputs that name none. */
  voice?: string
  /** The session's `interrupt`, unless the call says otherwise. */
  interrupt?: boolean
  /** A text stream's reply has ended: what was and was not heard. */
  streamed?(result: StreamedSpeechResult): void
  /** Plays one utterance: from the cache, or requested through the session's runner. */
  utterance(request: SpeakRequest, options?: PlayOptions): Promise<VoiceError | undefined>
}

/**
 * Turns what `speak()` was given into what plays: the one place a new kind of input is added
 * (a stream of text, say, handed to a speaker of its own with the same player).
 */
export function speakInput(
  input: SpeakInput,
  options: PlayOptions | undefined,
  context: SpeakContext,
): Promise<VoiceError | undefined> {
  if (isTextStream(input)) {
    const { speaker, player, voice, cache, requests } = context
    const { interrupt = context.interrupt, signal } = options ?? {}
    return speakTextStream({ ...requests, speaker, player, text: input, voice, cache, interrupt, signal }).then((r) => {
      context.streamed?.(r)
      return r.error
    })
  }
  const request = typeof input === 'string' ? { text: input } : input
  return context.utterance({ ...request, voice: request.voice ?? context.voice }, options)
}

export const isTextStream = (input: SpeakInput): input is TextStream =>
  typeof input === 'object' &&
  (Symbol.asyncIterator in input || typeof (input as { getReader?: unknown }).getReader === 'function')
