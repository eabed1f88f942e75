// The text-to-speech streams the speech routes share: MP3 (one encode per sentence) or 24 kHz 16-bit PCM/WAV,
// each sentence sent as soon as it is ready and reported as it goes.
import type { SynthesisOptions } from '../engines/tts.ts'
import { resample } from '../resample.ts'
import { splitSentences } from '../sentences.ts'
import type { RouteContext } from '../types.ts'
import { floatToInt16, wavHeader } from '../wav.ts'

export async function* speechStream(
  ctx: RouteContext,
  text: string,
  options: SynthesisOptions & { files: boolean },
): AsyncGenerator<Uint8Array> {
  const sentences = ctx.tts.speak(text, {
    ...options,
    signal: ctx.signal,
    onSentence: (s) =>
      ctx.emit({ type: 'tts-sentence', id: ctx.id, index: s.index, count: s.count, text: s.text, at: s.synthesizedAt }),
  })
  for await (const sentence of sentences) yield sentence.mp3
}

export const PCM_RATE = 24_000

/** Raw 24 kHz mono s16le (OpenAI's `pcm`), or the same behind a WAV header whose sizes say "unknown" (`wav`). */
export async function* pcmStream(
  ctx: RouteContext,
  text: string,
  options: SynthesisOptions & { wav: boolean },
): AsyncGenerator<Uint8Array> {
  const sentences = splitSentences(text)
  if (options.wav) yield wavHeader(PCM_RATE)
  for (const [index, sentence] of sentences.entries()) {
    if (ctx.signal.aborted) return
    const audio = await ctx.tts.synthesize(sentence, options)
    ctx.emit({
      type: 'tts-sentence',
      id: ctx.id,
      index,
      count: sentences.length,
      text: sentence,
      at: performance.now(),
    })
    const pcm = floatToInt16(resample(audio.samples, audio.sampleRate, PCM_RATE))
    yield new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength)
  }
}
