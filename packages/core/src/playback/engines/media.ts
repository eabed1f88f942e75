// The player's <audio> element as an engine's output (mse, managed-mse, blob).
import { VoiceError } from '../../errors'
import { once } from '../../wait'
import type { EngineIO } from '../types'

/** Points the element at `url` for this utterance; everything is undone when the utterance ends. */
export function attach(io: EngineIO, url: string): HTMLAudioElement {
  const audio = io.audio()
  const { signal } = io
  audio.addEventListener('playing', () => io.playing(), { signal })
  audio.addEventListener('waiting', () => io.waiting(), { signal })
  signal.addEventListener('abort', () => {
    audio.pause()
    audio.removeAttribute('src')
    audio.load()
    URL.revokeObjectURL(url)
  })
  audio.src = url
  return audio
}

const failed = (audio: HTMLAudioElement) =>
  new VoiceError(
    'playback_failed',
    `The browser could not play the audio (${audio.error?.message || audio.error?.code})`,
  )

/** Resolves once the element has played to its end; a media error rejects with `playback_failed`. */
export function ended(io: EngineIO, audio: HTMLAudioElement): Promise<void> {
  if (audio.error) return Promise.reject(failed(audio))
  return audio.ended ? Promise.resolve() : once(audio, 'ended', io.signal, () => failed(audio))
}

export function elementTime(audio: HTMLAudioElement): [number, number, number] {
  const ranges = audio.buffered
  const n = ranges.length
  return [audio.currentTime, n ? ranges.start(0) : 0, n ? ranges.end(n - 1) : 0]
}
