// Recognition while audio arrives, with pocketsphinx_continuous (the measured costs are in the README).
//
// Final text: each utterance (the audio between two commits, or one VAD turn) gets its own decoder process, loaded
// before the utterance begins (a spare per session) and fed as audio arrives. It decodes faster than real time, so
// at the commit only the last read block is left: ending its input makes it finish and print. A fresh process per
// utterance also means each utterance decodes as it would alone (pocketsphinx's cepstral mean adapts across the
// utterances of one process, which changes words).
//
// Interim text: pocketsphinx_continuous prints nothing until an utterance ends, so the words of an utterance still in
// progress come from re-decoding it. One long-lived process per session does that (no model load per hypothesis):
// each request is the utterance so far and then a stretch of silence, which makes its VAD end the utterance and
// print. At most one request is in flight per session. Re-decodes are kept short: the final decoder's words are
// taken as it prints them (at 250 ms pauses), and the latest hypothesis's words before a shorter pause, or well
// behind the newest audio, are kept as they were heard.

import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  parseWordTimes,
  type SpeechToText,
  type TimedToken,
  type Transcript,
  timedWord,
  type Word,
} from '../engines/stt.ts'
import { SphinxProcess } from './sphinx-process.ts'
import { FRAME } from './vad.ts'

const run = promisify(execFile)

export const RATE = 16_000

/**
 * Final decodes, measured in instructions (valgrind) on the fixtures: pocketsphinx's second pass (fwdflat) costs
 * about 240 M per second of utterance and runs only once the utterance has ended, so at a commit it would be all of
 * the wait (a quarter of a second for a 2 s utterance); without it, what is left at a commit is the last read block
 * and the lattice rescoring (bestpath). Tighter pruning (-maxhmmpf 3000 -maxwpf 5) changes no fixture word and
 * saves a quarter of the first pass. Utterances end at 250 ms pauses instead of 500 ms, so words are final sooner.
 * The long dictation fixture's word error rate: 4.5 %, as with the HTTP routes' decode (which keeps fwdflat).
 */
const FINAL_ARGS = [
  ...['-time', 'yes', '-logfn', '/dev/null'],
  ...['-fwdflat', 'no', '-maxhmmpf', '3000', '-maxwpf', '5', '-vad_postspeech', '25'],
]
/** Interim decodes: no lattice rescoring either. */
const INTERIM_ARGS = [...FINAL_ARGS, '-bestpath', 'no']
/** Silence after each interim request: the VAD's 250 ms, plus its 128 ms read block, plus a margin. */
const INTERIM_PAD = Math.round(RATE * 0.5)
/** Re-decode at most about this much; beyond it, older words are kept from the last hypothesis. */
const INTERIM_WINDOW = RATE * 2.5
/** …keeping the words of the newest this much audio to be heard again… */
const INTERIM_KEEP = RATE * 1.2
/** …with this much audio before them, so that the first of them is heard from its start, in context. */
const INTERIM_CONTEXT = 0.5
/** A pause of this many quiet frames (10 ms) is one a re-decode can start in… */
const GAP_FRAMES = 10
/** …once a hypothesis has heard this much past it (so that the words before it were heard whole). */
const GAP_HEARD = RATE * 0.2

export interface RecognizerOptions {
  /** New speech, in ms, between two interim decodes of an utterance. */
  interimEveryMs: number
  /** A hypothesis' listener threw. */
  onError: (error: unknown) => void
}

export interface Hypothesis {
  text: string
  /** Seconds from the start of the utterance. */
  words: Word[]
  /** How many samples of the utterance the hypothesis has heard. */
  heard: number
}

/** The server-wide part: where FIFOs are made, and every process, so that none outlives its socket or the server. */
export class RealtimeEngine {
  readonly live = new Set<SphinxProcess>()
  private dir: Promise<string> | undefined
  private fifos = 0

  constructor(private readonly stt: SpeechToText) {}

  /** Throws EngineMissingError when pocketsphinx or its model is not installed. */
  check(): void {
    this.stt.command()
  }

  spawn(args: string[], nice = 0, startAfter?: Promise<void>): SphinxProcess {
    const { program, args: model } = this.stt.command()
    const process = new SphinxProcess(program, [...model, ...args], () => this.fifo(), nice, startAfter)
    this.live.add(process)
    void process.exited.then(() => this.live.delete(process))
    return process
  }

  async close(): Promise<void> {
    for (const process of this.live) process.kill()
    await Promise.all([...this.live].map((p) => p.exited))
    if (this.dir) await rm(await this.dir, { recursive: true, force: true }).catch(() => {})
    this.dir = undefined
  }

  private async fifo(): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'speech-server-realtime-'))
    const path = join(await this.dir, `${++this.fifos}.fifo`)
    await run('mkfifo', ['-m', '600', path])
    return path
  }
}

/** One socket's decoders: a spare final decoder (loaded before the next utterance needs it) and the interim decoder. */
export class RecognizerSession {
  private spare: SphinxProcess | undefined
  private interimOn: boolean
  private interimDecoder: InterimDecoder | undefined
  private readonly utterances = new Set<Utterance>()
  /** Finals being decoded. */
  private readonly finals = new Set<Promise<unknown>>()
  private started = false
  private closed = false

  constructor(
    private readonly engine: RealtimeEngine,
    readonly options: RecognizerOptions,
    interim: boolean,
  ) {
    this.interimOn = interim
  }

  /** Turns interim decoding on or off (ending its process). */
  setInterim(on: boolean): void {
    this.interimOn = on
    if (!on && this.interimDecoder) {
      this.interimDecoder.close()
      this.interimDecoder = undefined
    }
  }

  /**
   * Starts the decoders (a model loads in about 0.4 s). The socket calls it once its client has said how the session
   * goes (after the first message, or shortly after the open), so that a session switched to manual commits never
   * loads the interim decoder; audio calls it too.
   */
  warm(): void {
    if (this.closed) return
    if (!this.started) {
      this.started = true
      if (!this.spare && this.utterances.size === 0) this.spare = this.engine.spawn(FINAL_ARGS)
    }
    if (this.interimOn && !this.interimDecoder)
      this.interimDecoder = new InterimDecoder(this.engine, () => this.interimReady())
  }

  get interim(): InterimDecoder | undefined {
    return this.interimDecoder
  }

  /** A new utterance. `onInterim` hears its hypotheses while it is open (when interim decoding is on). */
  begin(onInterim: (hypothesis: Hypothesis) => void): Utterance {
    // Without a spare, a new decoder; while finals are being decoded, it starts after them (a model load would take
    // CPU from them; the audio waits meanwhile). The next spare loads after the next final.
    const after = this.finals.size > 0 ? Promise.allSettled([...this.finals]).then(() => {}) : undefined
    const process = this.spare ?? this.engine.spawn(FINAL_ARGS, 0, after)
    this.spare = undefined
    const utterance = new Utterance(this, process, onInterim)
    this.utterances.add(utterance)
    return utterance
  }

  /**
   * While finals are being decoded, the interim decoder is stopped: its hypothesis of an utterance just committed is
   * not wanted any more, and on a busy machine it would take CPU from the final.
   */
  decoding(utterance: Utterance, final: Promise<unknown>): void {
    if (this.finals.size === 0) this.interimDecoder?.pause(true)
    this.finals.add(final)
    void final
      .catch(() => {})
      .then(() => {
        this.finals.delete(final)
        this.utterances.delete(utterance)
        if (this.finals.size > 0) return
        this.interimDecoder?.pause(false)
        this.replenish()
      })
  }

  dropped(utterance: Utterance): void {
    this.utterances.delete(utterance)
    if (this.finals.size === 0) this.replenish()
  }

  /** The interim decoder is ready again: the open utterance may want a hypothesis now. */
  interimReady(): void {
    for (const utterance of this.utterances) utterance.wake()
  }

  close(): void {
    this.closed = true
    this.spare?.kill()
    this.spare = undefined
    this.setInterim(false)
    for (const utterance of this.utterances) utterance.cancel()
  }

  private replenish() {
    if (!this.closed && !this.spare) this.spare = this.engine.spawn(FINAL_ARGS)
  }
}

/** The audio of one utterance on its way to its final decoder, and its interim hypotheses. */
export class Utterance {
  /** Samples received. */
  length = 0
  private state: 'open' | 'finishing' | 'done' = 'open'
  /** Audio kept for interim re-decodes, from utterance sample `kept` on. */
  private audio = new Int16Array(0)
  private kept = 0
  /** One past the last sample of speech (energy above the VAD threshold), or 0. */
  private lastSpeech = 0
  /** Short pauses (quiet frames between speech), in utterance samples, and the quiet run now. */
  private gaps: { start: number; end: number }[] = []
  private quietFrom = 0
  private quietFrames = 0
  /** Words of the sub-utterances the final decoder has already printed, and where they end (seconds). */
  private stable: Word[] = []
  private stableEnd = 0
  /** Words taken from an earlier hypothesis when the re-decoded stretch moved on, and where they end (seconds). */
  private provisional: Word[] = []
  private provisionalEnd = 0
  private latest: Word[] = []
  /** The utterance samples the latest hypothesis heard. */
  private latestHeard = 0
  /** Interim decodes read the utterance from here on. */
  private anchor = 0
  private requestedUpTo = 0
  private heard = 0
  private inFlight = false
  private lastText = ''

  constructor(
    private readonly session: RecognizerSession,
    private readonly process: SphinxProcess,
    private readonly onInterim: (hypothesis: Hypothesis) => void,
  ) {
    process.onTokens = (tokens) => this.finishedSubUtterance(tokens)
  }

  /** `speech`: for each 10 ms frame of `pcm` (the last may be shorter), whether it is above the VAD threshold. */
  push(pcm: Int16Array, speech: boolean[] = []): void {
    if (this.state !== 'open' || pcm.length === 0) return
    this.process.write(pcm)
    for (const [k, loud] of speech.entries()) {
      const at = this.length + k * FRAME
      if (!loud) {
        if (this.quietFrames++ === 0) this.quietFrom = at
        continue
      }
      if (this.quietFrames >= GAP_FRAMES && this.lastSpeech > 0) this.gaps.push({ start: this.quietFrom, end: at })
      this.quietFrames = 0
      this.lastSpeech = Math.min(at + FRAME, this.length + pcm.length)
    }
    if (this.session.interim) this.keep(pcm)
    else this.kept = this.length + pcm.length
    this.length += pcm.length
    this.maybeInterim()
  }

  /** Ends the utterance: its final transcript (times from its start). */
  finish(): Promise<Transcript> {
    if (this.state !== 'open') throw new Error('utterance already finished')
    this.state = 'finishing'
    this.audio = new Int16Array(0)
    this.process.end()
    const final = this.process.exited.then((exit) => {
      this.state = 'done'
      if (exit.error) throw exit.error
      return { ...parseWordTimes(exit.output), duration: this.length / RATE }
    })
    this.session.decoding(this, final)
    return final
  }

  /** A hypothesis may be due (the interim decoder was busy or loading when the audio came). */
  wake(): void {
    this.maybeInterim()
  }

  cancel(): void {
    if (this.state === 'done') return
    this.state = 'done'
    this.process.kill()
    this.session.dropped(this)
  }

  private keep(pcm: Int16Array) {
    const needed = this.length + pcm.length - this.kept
    if (needed > this.audio.length) {
      const grown = new Int16Array(Math.max(needed, this.audio.length * 2, RATE))
      grown.set(this.audio.subarray(0, this.length - this.kept))
      this.audio = grown
    }
    this.audio.set(pcm, this.length - this.kept)
  }

  private maybeInterim() {
    const decoder = this.session.interim
    if (this.state !== 'open' || !decoder || this.inFlight || !decoder.ready) return
    if (this.length - this.requestedUpTo < (this.session.options.interimEveryMs * RATE) / 1000) return
    if (this.lastSpeech <= Math.max(this.requestedUpTo, this.anchor)) return
    this.moveAnchor()
    const from = Math.max(this.anchor, this.kept)
    const to = this.length
    this.inFlight = true
    this.requestedUpTo = to
    const pcm = this.audio.slice(from - this.kept, to - this.kept)
    void decoder.decode(pcm, this.lastSpeech - from).then((words) => {
      this.inFlight = false
      if (this.state !== 'open') return
      this.latest = words.map((w) => shift(w, from / RATE))
      this.latestHeard = to
      this.heard = Math.max(this.heard, to)
      this.publish()
      this.maybeInterim()
    })
  }

  /**
   * Keeps re-decodes short. At a pause the latest hypothesis has heard past, its words before the pause stay as they
   * were heard and decodes start in the pause. Past INTERIM_WINDOW without one, the words that ended well before the
   * newest audio stay, and decodes start a little before the first word not kept.
   */
  private moveAnchor() {
    const kept = Math.max(this.stableEnd, this.provisionalEnd)
    this.gaps = this.gaps.filter((g) => g.start > this.anchor)
    const gap = this.gaps.findLast((g) => g.end + GAP_HEARD <= this.latestHeard)
    if (gap) {
      const middle = Math.round((gap.start + gap.end) / 2)
      this.keepHeard(
        this.latest.filter((w) => after(w, kept) && !after(w, middle / RATE)),
        middle / RATE,
        middle,
      )
    } else if (this.length - this.anchor > INTERIM_WINDOW) {
      const settled = this.latest.filter((w) => w.end <= (this.length - INTERIM_KEEP) / RATE && after(w, kept))
      const last = settled.at(-1)
      if (last) this.keepHeard(settled, last.end, Math.floor((last.end - INTERIM_CONTEXT) * RATE))
    }
    // Audio before the anchor is not needed again.
    const drop = Math.min(this.anchor, this.length) - this.kept
    if (drop > RATE * 10) {
      this.audio = this.audio.slice(drop)
      this.kept += drop
    }
  }

  /** Words heard up to `end` (seconds) stay as they are; re-decodes start at `anchor` (samples). */
  private keepHeard(words: Word[], end: number, anchor: number) {
    this.provisional.push(...words)
    this.provisionalEnd = Math.max(this.provisionalEnd, end)
    this.anchor = Math.max(this.anchor, anchor)
    this.latest = this.latest.filter((w) => after(w, end))
  }

  private finishedSubUtterance(tokens: TimedToken[]) {
    for (const token of tokens) {
      const word = timedWord(token)
      if (word) this.stable.push(word)
      this.stableEnd = Math.max(this.stableEnd, token.end)
    }
    if (this.state !== 'open') return
    this.anchor = Math.max(this.anchor, Math.floor(this.stableEnd * RATE))
    this.heard = Math.max(this.heard, Math.min(this.length, Math.round(this.stableEnd * RATE)))
    this.publish()
  }

  /** The stable words, then the kept ones after them, then the newest hypothesis's after those (by word midpoints). */
  private publish() {
    const provisional = this.provisional.filter((w) => after(w, this.stableEnd))
    const from = Math.max(this.stableEnd, this.provisionalEnd)
    const words = [...this.stable, ...provisional, ...this.latest.filter((w) => after(w, from))]
    const text = words.map((w) => w.word).join(' ')
    if (!text) return
    this.lastText = text
    try {
      this.onInterim({ text, words, heard: this.heard })
    } catch (error) {
      this.session.options.onError(error)
    }
  }

  /** The last interim text published (empty before the first). */
  get interimText(): string {
    return this.lastText
  }
}

/**
 * The session's long-lived interim decoder. A request is written as its audio and then silence; the utterance(s)
 * the decoder prints whose times fall in that stretch are the answer. It is complete once the decoder has read all
 * of it and waits for more (see SphinxProcess.waiting), or, sooner, once a printed utterance reaches the request's
 * last speech.
 */
export class InterimDecoder {
  private process: SphinxProcess
  private pending: { start: number; doneAt: number; words: Word[]; finish: () => void } | undefined
  private closed = false
  private loaded = false

  /** `onReady`: called when it can take a request again (loaded, or an answer came). */
  constructor(
    private readonly engine: RealtimeEngine,
    private readonly onReady: () => void,
  ) {
    this.process = this.start()
  }

  /** Whether a request can go now: not one in flight, and the model loaded (a request sent earlier would wait). */
  get ready(): boolean {
    return this.loaded && this.pending === undefined
  }

  /** Words of `pcm` (seconds from its start); `speechEnd`: one past its last sample of speech. */
  decode(pcm: Int16Array, speechEnd: number): Promise<Word[]> {
    if (this.pending) return Promise.reject(new Error('an interim decode is already in flight'))
    return new Promise((resolve) => {
      const start = this.process.written
      let timer: NodeJS.Timeout | undefined
      let idle = 0
      const finish = () => {
        clearTimeout(timer)
        const words = this.pending?.words ?? []
        this.pending = undefined
        resolve(words.map((w) => shift(w, -start / RATE)))
        if (!this.closed) queueMicrotask(() => this.onReady())
      }
      // Twice in a row, so that what it printed before it blocked has been read from its stdout too.
      const poll = async () => {
        if (this.pending?.finish !== finish) return
        const waiting = await this.process.waiting()
        if (this.pending?.finish !== finish) return
        if (waiting === undefined) {
          // No /proc: a generous timeout (a loaded machine decodes slower; a late answer is dropped by its times).
          timer = setTimeout(finish, 3000 + (pcm.length / RATE) * 2000)
          return
        }
        idle = waiting ? idle + 1 : 0
        if (idle >= 2) finish()
        else timer = setTimeout(poll, 25)
      }
      this.pending = {
        start,
        // Its VAD ends the utterance a little after the speech; the last word ends a little before that.
        doneAt: (start + speechEnd) / RATE - 0.3,
        words: [],
        finish,
      }
      this.process.write(pcm)
      this.process.write(padding())
      timer = setTimeout(poll, 25)
    })
  }

  close(): void {
    this.closed = true
    this.process.kill()
    this.pending?.finish()
  }

  pause(paused: boolean): void {
    this.process.pause(paused)
  }

  private start(): SphinxProcess {
    // Below the final decoders' priority: on a busy machine, interim words wait rather than finals.
    const process = this.engine.spawn(INTERIM_ARGS, 2)
    process.onTokens = (tokens) => this.heard(tokens)
    this.loaded = false
    const untilLoaded = async () => {
      if (this.closed || this.process !== process) return
      const waiting = await process.waiting()
      if (waiting === false) return void setTimeout(untilLoaded, 50)
      this.loaded = true
      this.onReady()
    }
    setTimeout(untilLoaded, 50)
    void process.exited.then(() => {
      if (this.closed || this.process !== process) return
      // It should never exit by itself; if it did, answer what there is and start another.
      this.process = this.start()
      this.pending?.finish()
    })
    return process
  }

  private heard(tokens: TimedToken[]) {
    const pending = this.pending
    if (!pending) return
    let done = false
    for (const token of tokens) {
      // An answer to an earlier request that came too late.
      if (token.start < pending.start / RATE - 0.005) continue
      const word = timedWord(token)
      if (word) pending.words.push(word)
      if (token.end >= pending.doneAt) done = true
    }
    if (done) pending.finish()
  }
}

/** Whether the word lies after `seconds`: by its midpoint, as word times at a boundary of two decodes differ a little. */
function after(word: Word, seconds: number): boolean {
  return (word.start + word.end) / 2 >= seconds
}

function shift(word: Word, seconds: number): Word {
  return { ...word, start: round(word.start + seconds), end: round(word.end + seconds) }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}

/** Faint noise rather than digital zeros, so the decoder's noise floor stays like a microphone's. */
let paddingCache: Int16Array | undefined
function padding(): Int16Array {
  if (!paddingCache) {
    paddingCache = new Int16Array(INTERIM_PAD)
    let seed = 0x9e3779b9
    for (let i = 0; i < paddingCache.length; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0
      paddingCache[i] = (seed >>> 29) - 4
    }
  }
  return paddingCache
}
