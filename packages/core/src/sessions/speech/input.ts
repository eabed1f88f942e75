import type { VoiceError } from '../../errors'
import type { PlayOptions, StreamingPlayer } from '../../playback'
import type { SpeechTransport } from '../../transport/types'

export interface SpeakRequest {
  text: string
  voice?: string
  /** Dify: speak a message of the conversation by its id. */
  messageId?: string
}

/** What `speak()` takes. */
export type SpeakInput = string | SpeakRequest

/** What a speech session lends `speakInput`. */
export interface SpeakContext {
  speaker: SpeechTransport
  player: StreamingPlayer
  /** The session's voice, for inputs that name none. */
  voice?: string
  /** Plays one utterance: from the cache, or requested through the session's runner. */
  utterance(request: SpeakRequest, options?: PlayOptions): Promise<VoiceError | undefined>
}

/**
 * Turns what `speak()` was given into what plays: the one place a new kind of input is added
 * (a stream of text, say, handed to a speaker of its own with the same player).
 */
export function speakInput(input: SpeakInput, options: PlayOptions | undefined, context: SpeakContext) {
  const request = typeof input === 'string' ? { text: input } : input
  return context.utterance({ ...request, voice: request.voice ?? context.voice }, options)
}
