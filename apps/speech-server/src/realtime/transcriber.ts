// One socket's audio, from the client's PCM to utterances: resampled to 16 kHz, cut into segments (by the client's
// commits, or by the energy VAD's turns), each segment decoded while it arrives. Finals are reported in segment order.
//
// The session clock counts 16 kHz samples of everything received. With turn detection on, audio outside a turn is not
// kept beyond the prefix padding: a turn's segment starts `prefixPaddingMs` before the speech the VAD heard.
import type { Transcript } from '../engines/stt.ts'
import { StreamResampler } from '../resample.ts'
import { type Hypothesis, RATE, type RealtimeEngine, RecognizerSession, type Utterance } from './recognizer.ts'
import { EnergyVad, FRAME, frameDb, type TurnDetection, thresholdDb } from './vad.ts'

export type CommitSource = 'client' | 'vad' | 'limit'

export interface Segment {
  /** 0, 1, 2, … in the order segments began. */
  index: number
  /** Session clock (16 kHz samples) of its first sample. */
  start: number
  samples: number
  /** Where the VAD heard speech begin, and where the silence that ended the turn reached its duration. */
  speechStart?: number
  speechEnd?: number
  by?: CommitSource
  /** Created with the segment's first audio. */
  utterance?: Utterance
}

export interface TranscriberEvents {
  speechStarted?(segment: Segment): void
  speechStopped?(segment: Segment): void
  /** Synchronously on the commit, before its final. */
  committed(segment: Segment, by: CommitSource): void
  interim(segment: Segment, hypothesis: Hypothesis): void
  final(segment: Segment, result: Transcript | Error): void
}

export interface TranscriberOptions {
  inputRate: number
  turnDetection: TurnDetection | null
  /** 'always': interim hypotheses for every segment (ElevenLabs); 'turns': only inside a VAD turn (OpenAI). */
  interim: 'always' | 'turns'
  interimEveryMs: number
  /** Commit by itself after this much uncommitted audio. */
  maxSegmentMs?: number
  /** An event listener threw (it is reported here rather than left as an unhandled rejection). */
  onError: (error: unknown) => void
}

const EMPTY: Omit<Transcript, 'duration'> = { text: '', words: [], segments: [] }

export class Transcriber {
  /** 16 kHz samples received so far: the session's audio clock. */
  clock = 0
  /** Samples received at the client's rate. */
  received = 0
  private readonly session: RecognizerSession
  private resampler: StreamResampler
  private remainder = new Int16Array(0)
  private vad: EnergyVad | undefined
  private turnDetection: TurnDetection | null
  private current: Segment | undefined
  private batch: { frames: Int16Array[]; speech: boolean[]; samples: number } = { frames: [], speech: [], samples: 0 }
  /** Turn detection, outside a turn: the last frames (for the prefix padding), and how much audio since the commit. */
  private ring: { at: number; pcm: Int16Array; speech: boolean }[] = []
  private idle = 0
  private nextIndex = 0
  private finals: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    engine: RealtimeEngine,
    private readonly options: TranscriberOptions,
    private readonly events: TranscriberEvents,
  ) {
    this.turnDetection = options.turnDetection
    this.vad = options.turnDetection ? new EnergyVad(options.turnDetection) : undefined
    this.resampler = new StreamResampler(options.inputRate, RATE)
    this.session = new RecognizerSession(
      engine,
      { interimEveryMs: options.interimEveryMs, onError: options.onError },
      this.wantsInterim(),
    )
  }

  get inTurn(): boolean {
    return this.vad !== undefined && this.current !== undefined
  }

  /** Milliseconds of audio a manual commit would take now. */
  get bufferedMs(): number {
    const pending = this.batch.samples + this.remainder.length
    if (this.current) return ((this.current.samples + pending) * 1000) / RATE
    return ((this.vad ? this.idle : 0) + pending) * (1000 / RATE)
  }

  push(pcm: Int16Array): void {
    if (this.closed) return
    this.session.warm()
    this.received += pcm.length
    this.route(this.resampler.push(pcm))
  }

  /**
   * The client's commit: the buffered audio becomes a segment of its own. 'empty' (and nothing changes) when less than
   * `minMs` is buffered.
   */
  commit(minMs: number, by: CommitSource = 'client'): Segment | 'empty' {
    if (this.bufferedMs < minMs) return 'empty'
    this.route(this.resampler.flush())
    if (this.remainder.length > 0) {
      const rest = this.remainder
      this.remainder = new Int16Array(0)
      this.ensureSegment()
      this.toSegment(rest, false)
      this.clock += rest.length
    }
    // With turn detection and no turn in progress, what is kept of the idle audio is the prefix padding's worth.
    if (!this.current) {
      this.openSegment(this.ring[0]?.at ?? this.clock)
      for (const entry of this.ring) this.toSegment(entry.pcm, entry.speech)
    }
    return this.commitCurrent(by)
  }

  /** Drops the buffered audio (the segment in progress, if any, is abandoned). */
  clear(): void {
    this.resampler.flush()
    this.remainder = new Int16Array(0)
    this.batch = { frames: [], speech: [], samples: 0 }
    this.current?.utterance?.cancel()
    this.current = undefined
    this.vad?.reset()
    this.ring = []
    this.idle = 0
  }

  /** Starts the decoders ahead of the audio (see RecognizerSession.warm). */
  warm(): void {
    if (!this.closed) this.session.warm()
  }

  setTurnDetection(config: TurnDetection | null): void {
    this.turnDetection = config
    if (!config) this.vad = undefined
    else {
      this.vad = new EnergyVad(config)
      // A segment in progress carries on as a turn, ended by the next silence.
      if (this.current) this.vad.inSpeech = true
    }
    if (!config) {
      this.ring = []
      this.idle = 0
    }
    this.session.setInterim(this.wantsInterim())
  }

  close(): void {
    this.closed = true
    this.current?.utterance?.cancel()
    this.current = undefined
    this.session.close()
  }

  private wantsInterim() {
    return this.options.interim === 'always' || this.turnDetection !== null
  }

  private route(pcm: Int16Array) {
    if (pcm.length === 0) return
    let data = pcm
    if (this.remainder.length > 0) {
      data = new Int16Array(this.remainder.length + pcm.length)
      data.set(this.remainder)
      data.set(pcm, this.remainder.length)
    }
    const threshold = thresholdDb(this.turnDetection?.threshold ?? 0.5)
    let at = 0
    for (; at + FRAME <= data.length; at += FRAME) {
      const frame = data.subarray(at, at + FRAME)
      this.frame(frame, frameDb(frame) > threshold)
      if (this.closed) return
    }
    this.remainder = data.slice(at)
    this.flushBatch()
  }

  private frame(frame: Int16Array, speech: boolean) {
    if (!this.vad) {
      this.ensureSegment()
      this.toSegment(frame, speech)
      this.clock += FRAME
      this.checkLimit()
      return
    }
    const step = this.vad.step(speech)
    if (!this.current) {
      this.ring.push({ at: this.clock, pcm: frame.slice(), speech })
      const keep = Math.ceil((this.turnDetection!.prefixPaddingMs + this.turnDetection!.minSpeechMs) / 10) + 1
      if (this.ring.length > keep) this.ring.splice(0, this.ring.length - keep)
      this.idle += FRAME
      this.clock += FRAME
      if (step === 'speech-started') {
        const onset = this.clock - this.vad.onsetFrames * FRAME
        const prefix = Math.round((this.turnDetection!.prefixPaddingMs * RATE) / 1000)
        const start = Math.max(onset - prefix, this.ring[0]!.at)
        const segment = this.openSegment(start)
        segment.speechStart = onset
        for (const entry of this.ring) if (entry.at >= start) this.toSegment(entry.pcm, entry.speech)
        this.ring = []
        this.idle = 0
        this.events.speechStarted?.(segment)
      }
      return
    }
    this.toSegment(frame, speech)
    this.clock += FRAME
    if (step === 'speech-stopped') {
      const segment = this.current
      segment.speechEnd = this.clock
      this.flushBatch()
      this.events.speechStopped?.(segment)
      this.commitCurrent('vad')
      return
    }
    this.checkLimit()
  }

  private ensureSegment() {
    if (!this.current) this.openSegment(this.clock)
  }

  private openSegment(start: number): Segment {
    const segment: Segment = { index: this.nextIndex++, start, samples: 0 }
    this.current = segment
    return segment
  }

  private toSegment(pcm: Int16Array, speech: boolean) {
    const segment = this.current!
    segment.samples += pcm.length
    this.batch.frames.push(pcm)
    this.batch.speech.push(speech)
    this.batch.samples += pcm.length
  }

  /** Hands the frames routed since the last flush to the segment's decoder in one write. */
  private flushBatch() {
    const segment = this.current
    const { frames, speech, samples } = this.batch
    this.batch = { frames: [], speech: [], samples: 0 }
    if (!segment || samples === 0) return
    const pcm = new Int16Array(samples)
    let at = 0
    for (const frame of frames) {
      pcm.set(frame, at)
      at += frame.length
    }
    segment.utterance ??= this.session.begin((hypothesis) => {
      if (this.current === segment && !this.closed) this.events.interim(segment, hypothesis)
    })
    segment.utterance.push(pcm, speech)
  }

  private checkLimit() {
    const limit = this.options.maxSegmentMs
    if (limit && this.current && this.current.samples >= (limit * RATE) / 1000) {
      this.flushBatch()
      this.commitCurrent('limit')
    }
  }

  private commitCurrent(by: CommitSource): Segment {
    this.flushBatch()
    const segment = this.current!
    this.current = undefined
    segment.by = by
    this.vad?.reset()
    this.ring = []
    this.idle = 0
    this.events.committed(segment, by)
    const result: Promise<Transcript> = segment.utterance
      ? segment.utterance.finish()
      : Promise.resolve({ ...EMPTY, duration: segment.samples / RATE })
    this.finals = this.finals.then(() =>
      result.then(
        (transcript) => this.reportFinal(segment, transcript),
        (error: unknown) => this.reportFinal(segment, error instanceof Error ? error : new Error(String(error))),
      ),
    )
    return segment
  }

  private reportFinal(segment: Segment, result: Transcript | Error) {
    if (this.closed) return
    try {
      this.events.final(segment, result)
    } catch (error) {
      this.options.onError(error)
    }
  }
}
