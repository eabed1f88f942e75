import { useMutation } from '@tanstack/react-query'
import {
  type AudioStream,
  type PlayOptions,
  type SpeechTransport,
  type StreamingPlayerOptions,
  speakTextStream,
  type TextStream,
  VoiceError,
} from '@voicekit/core'
import { useCallback } from 'react'
import { type UseStreamingPlayerResult, useStreamingPlayer } from '../player'
import { useVoiceContext } from '../provider'
import { cached, remember, replay } from './cache'

export interface SpeakInput {
  text: string
  voice?: string
  /** Dify: speak a message of the conversation by its id. */
  messageId?: string
}

export interface UseSpeakOptions extends StreamingPlayerOptions {
  /** The voice when speak() names none. */
  voice?: string
  /** Keep finished audio per (provider, voice, text) so that a replay sends no request. Default true. */
  cache?: boolean
  /** speak() stops what is playing (and drops the queue) instead of queueing after it. Default false. */
  interrupt?: boolean
  /** Overrides the VoiceProvider's transport for this hook. */
  transport?: SpeechTransport
}

interface Variables extends SpeakInput {
  signal: AbortSignal
}

export interface UseSpeakResult extends UseStreamingPlayerResult {
  /**
   * Requests and plays speech; call it from a click or key handler (it unlocks audio synchronously).
   * Resolves when the utterance has played (undefined) or failed or was stopped (the error). Never rejects.
   */
  speak(input: string | SpeakInput | TextStream, options?: PlayOptions): Promise<VoiceError | undefined>
  /** The react-query mutation of the latest request (status, error, reset). */
  request: ReturnType<typeof useMutation<AudioStream, VoiceError, Variables>>
}

/**
 * Text to speech, heard while it streams in: `const { speak, stop, status } = useSpeak()`.
 * Utterances queue; stop() stops playback and aborts the download.
 */
export function useSpeak(options: UseSpeakOptions = {}): UseSpeakResult {
  const { transport, queryClient } = useVoiceContext(options.transport)
  const player = useStreamingPlayer(options)
  const request = useMutation<AudioStream, VoiceError, Variables>(
    {
      mutationFn: ({ text, voice, messageId, signal }) => {
        if (!transport.speak) throw new VoiceError('not_supported', `${transport.provider} does not speak`)
        return transport.speak(text, { signal, voice, messageId })
      },
    },
    queryClient,
  )
  const { mutateAsync } = request
  const { voice: defaultVoice, cache = true, interrupt } = options
  const speak = useCallback(
    (input: string | SpeakInput | TextStream, play?: PlayOptions) => {
      // Text still being written (an LLM's tokens): spoken piece by piece as it arrives.
      if (typeof input !== 'string' && !('text' in input))
        return speakTextStream({
          speaker: transport,
          player: player.player,
          text: input,
          voice: defaultVoice,
          interrupt: play?.interrupt ?? interrupt,
          signal: play?.signal,
          cache: cache ? { get: cached, set: (key, { mimeType, parts }) => remember(key, mimeType, parts) } : undefined,
        }).then((result) => result.error)
      const { text, voice = defaultVoice, messageId } = typeof input === 'string' ? { text: input } : input
      // Synchronously, while the click that called speak() still counts as a user gesture.
      player.unlock()
      const key = cache ? JSON.stringify([transport.provider, voice ?? '', text || `#${messageId}`]) : ''
      let parts: Uint8Array[] | undefined
      let mimeType = ''
      const source = async (signal: AbortSignal): Promise<AudioStream> => {
        // Looked up when its turn comes: a sentence queued twice is fetched once.
        const hit = key && cached(key)
        if (hit) return { mimeType: hit.mimeType, body: replay(hit) }
        const stream = await mutateAsync({ text, voice, messageId, signal })
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
      return player.player.play(source, { interrupt, ...play }).then((error) => {
        // Only audio that played through to its end is kept.
        if (!error && parts) remember(key, mimeType, parts)
        return error
      })
    },
    [player.player, player.unlock, transport, mutateAsync, defaultVoice, cache, interrupt],
  )
  return { ...player, speak, request }
}
