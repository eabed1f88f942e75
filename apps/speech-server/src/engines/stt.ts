// Speech to text: pocketsphinx (Debian `pocketsphinx` + `pocketsphinx-en-us`), with word times.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeWav } from '../wav.ts'
import { decodeToPcm16k, RECOGNITION_RATE } from './decode.ts'
import {
  aptInstall,
  DECODER_PACKAGES,
  EngineMissingError,
  exists,
  findExecutable,
  run,
  STT_PACKAGES,
  UndecodableAudioError,
} from './programs.ts'

export { EngineMissingError, UndecodableAudioError }

/** The program this server runs: pocketsphinx 0.8's (Debian 12's package); pocketsphinx 5 removed it. */
const DEFAULT_PROGRAM = 'pocketsphinx_continuous'

export interface Word {
  word: string
  /** Seconds from the start of the audio. */
  start: number
  end: number
  /** pocketsphinx's posterior, 0..1. */
  confidence: number
}

/** A run of words between pauses (pocketsphinx utterances, split again at `<sil>`). */
export interface Segment {
  text: string
  start: number
  end: number
  words: Word[]
}

export interface Transcript {
  /** Lowercase words separated by single spaces, no punctuation. */
  text: string
  /** Seconds. */
  duration: number
  words: Word[]
  segments: Segment[]
}

export interface SpeechToTextOptions {
  /** The pocketsphinx_continuous program (name on PATH or path). Env SPEECH_SERVER_POCKETSPHINX. */
  pocketsphinx?: string
  /** The ffmpeg program, for audio that is not PCM WAV. Env SPEECH_SERVER_FFMPEG. */
  ffmpeg?: string
  /** The en-us model folder (holds en-us/, en-us.lm.bin, cmudict-en-us.dict). Env SPEECH_SERVER_SPHINX_MODEL. */
  modelDir?: string
}

export interface SpeechToText {
  /** Throws EngineMissingError when pocketsphinx or its English model is not installed. */
  check(): void
  /** Throws EngineMissingError when ffmpeg, which audio other than PCM WAV needs, is not installed. */
  checkDecoder(): void
  recognize(audio: Uint8Array, options?: { signal?: AbortSignal }): Promise<Transcript>
  /** The program and model arguments for a decoder fed while audio arrives (throws EngineMissingError like check()). */
  command(): { program: string; args: string[] }
}

export function createSpeechToText(options: SpeechToTextOptions = {}): SpeechToText {
  const program = options.pocketsphinx ?? process.env.SPEECH_SERVER_POCKETSPHINX ?? DEFAULT_PROGRAM
  const ffmpeg = options.ffmpeg ?? process.env.SPEECH_SERVER_FFMPEG ?? 'ffmpeg'
  const modelDir = options.modelDir ?? process.env.SPEECH_SERVER_SPHINX_MODEL ?? '/usr/share/pocketsphinx/model/en-us'
  const model = {
    hmm: join(modelDir, 'en-us'),
    lm: join(modelDir, 'en-us.lm.bin'),
    dict: join(modelDir, 'cmudict-en-us.dict'),
  }

  function locate(): string {
    const found = findExecutable(program)
    if (!found) {
      // pocketsphinx 5 replaced pocketsphinx_continuous with one `pocketsphinx` program whose output this
      // server does not read: installing the package again would not help, so say what would.
      const newer = program === DEFAULT_PROGRAM ? findExecutable('pocketsphinx') : undefined
      if (newer)
        throw new EngineMissingError(
          `speech recognition needs pocketsphinx_continuous, which pocketsphinx 5 and later no longer have ` +
            `(found only ${newer})`,
          STT_PACKAGES,
          `Install pocketsphinx 0.8, which has it (Debian 12: ${aptInstall(STT_PACKAGES)}), ` +
            'or point SPEECH_SERVER_POCKETSPHINX at a pocketsphinx_continuous program.',
        )
      throw new EngineMissingError(`speech recognition is not installed ('${program}' not found)`, STT_PACKAGES)
    }
    const missing = Object.values(model).filter((path) => !exists(path))
    if (missing.length > 0)
      throw new EngineMissingError(`the English speech model is not installed (${missing.join(', ')})`, STT_PACKAGES)
    return found
  }

  return {
    check() {
      locate()
    },
    checkDecoder() {
      if (!findExecutable(ffmpeg))
        throw new EngineMissingError(
          `ffmpeg ('${ffmpeg}') is not installed, and audio that is not WAV needs it`,
          DECODER_PACKAGES,
        )
    },
    command() {
      return { program: locate(), args: ['-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict] }
    },
    async recognize(audio, { signal } = {}) {
      const pocketsphinx = locate()
      const pcm = await decodeToPcm16k(audio, { ffmpeg, ...(signal && { signal }) })
      const duration = pcm.length / RECOGNITION_RATE
      if (pcm.length < RECOGNITION_RATE / 10) return { text: '', duration, words: [], segments: [] }
      const dir = await mkdtemp(join(tmpdir(), 'speech-server-stt-'))
      try {
        const wav = join(dir, 'speech.wav')
        await writeFile(wav, encodeWav(pcm, RECOGNITION_RATE))
        const args = ['-infile', wav, '-time', 'yes', '-logfn', '/dev/null']
        args.push('-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict)
        const result = await run(pocketsphinx, args, { timeoutMs: 300_000, ...(signal && { signal }) })
        if (result.code !== 0) throw new Error(`pocketsphinx failed (code ${result.code}): ${result.stderr.trim()}`)
        return { ...parseWordTimes(result.stdout.toString()), duration }
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}

const WORD_LINE = /^(\S+) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e-?\d+)?)$/

/** One `token start end confidence` line of `-time yes` output, any token (`<s>`, `<sil>`, fillers, words). */
export interface TimedToken {
  token: string
  start: number
  end: number
  confidence: number
}

export function parseTokenLine(line: string): TimedToken | undefined {
  const match = WORD_LINE.exec(line.trim())
  if (!match) return undefined
  return { token: match[1]!, start: Number(match[2]), end: Number(match[3]), confidence: Number(match[4]) }
}

/** The word a token stands for (`on(2)` → `on`), or undefined for markers and fillers. */
export function tokenWord(token: string): string | undefined {
  if (/^(\[.*\]|\+\+.*\+\+|<.*>)$/.test(token)) return undefined
  return token.replace(/\(\d+\)$/, '')
}

/** A word from a token line, rounded like every transcript's words. */
export function timedWord(token: TimedToken): Word | undefined {
  const word = tokenWord(token.token)
  if (word === undefined) return undefined
  return {
    word,
    start: round(token.start),
    end: round(token.end),
    confidence: round(Math.min(1, token.confidence)),
  }
}

/**
 * pocketsphinx_continuous `-time yes` prints, per utterance, the hypothesis and then one `word start end confidence`
 * line per word, with `<s>`, `</s>`, `<sil>`, fillers (`[NOISE]`, `++BREATH++`) and alternates (`on(2)`) among them.
 */
export function parseWordTimes(output: string): Omit<Transcript, 'duration'> {
  const words: Word[] = []
  const segments: Segment[] = []
  let current: Word[] = []
  const close = () => {
    if (current.length === 0) return
    segments.push({
      text: current.map((w) => w.word).join(' '),
      start: current[0]!.start,
      end: current.at(-1)!.end,
      words: current,
    })
    current = []
  }
  for (const line of output.split('\n')) {
    const token = parseTokenLine(line)
    if (!token) continue
    if (token.token === '<s>' || token.token === '</s>' || token.token === '<sil>') {
      close()
      continue
    }
    const word = timedWord(token)
    if (!word) continue
    words.push(word)
    current.push(word)
  }
  close()
  return { text: words.map((w) => w.word).join(' '), words, segments }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
