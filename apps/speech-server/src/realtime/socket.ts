// What both real-time protocols share once a socket is open: the frame size cap, the session time limit, the armed
// faults, and the server's events. A protocol module says how each of these looks on its wire.
import type { RawData, WebSocket } from 'ws'
import type { SpeechServerEvent } from '../types.ts'
import type { RealtimeFault, RealtimeProtocol } from './faults.ts'
import type { RealtimeEngine } from './recognizer.ts'

export interface RealtimeLimits {
  /** Largest client message, in bytes: a bigger one gets the provider's error and the socket is closed. */
  maxFrameBytes: number
  /** Longest session: then the provider's expiry error and a close. */
  maxSessionMs: number
  /** ElevenLabs commits by itself after this much uncommitted audio. */
  maxSegmentMs: number
  /** New speech between two interim hypotheses. */
  interimEveryMs: number
}

export interface SessionContext {
  id: number
  protocol: RealtimeProtocol
  engine: RealtimeEngine
  limits: RealtimeLimits
  fault: RealtimeFault | undefined
  emit: (event: SpeechServerEvent) => void
  log: (line: string) => void
  /** Called once the socket has closed and every process of the session is released. */
  onClosed: () => void
}

export abstract class RealtimeSocket {
  /** Audio frames received (the faults count these). */
  protected frames = 0
  protected ended = false
  private readonly expiry: NodeJS.Timeout
  private warming: NodeJS.Timeout | undefined

  constructor(
    protected readonly ws: WebSocket,
    protected readonly ctx: SessionContext,
  ) {
    ws.on('message', (data, isBinary) => this.receive(data, isBinary))
    ws.on('error', () => {})
    ws.on('close', (code, reason) => this.closed(code, reason.toString()))
    this.expiry = setTimeout(() => {
      this.expired()
      this.close(this.expiryCloseCode, 'session time limit reached')
    }, ctx.limits.maxSessionMs)
  }

  /** Sends the opening event, then applies a fault armed for "right away". */
  start(): void {
    this.ctx.emit({ type: 'realtime-open', id: this.ctx.id, protocol: this.ctx.protocol, at: performance.now() })
    this.opened()
    // Decoders load once the client has had its say (its first message, e.g. a session.update), or soon anyway.
    this.warming = setTimeout(() => this.warmUp(), 200)
    this.fireFault()
  }

  /** The wire's opening event. */
  protected abstract opened(): void
  protected abstract text(message: string): void
  protected abstract binary(): void
  /** The provider's error for a message over the size limit (the socket is closed after it, with 1009). */
  protected abstract tooLarge(bytes: number): void
  /** The provider's error when the session reaches its time limit (then closed with `expiryCloseCode`). */
  protected abstract expired(): void
  protected abstract readonly expiryCloseCode: number
  /** The provider's error event, with the armed fault's fields over its defaults. */
  protected abstract faultError(fields: Record<string, unknown>): void
  /** Everything the session holds (decoder processes). */
  protected abstract release(): void
  /** Starts the decoders before the audio comes. */
  protected abstract warm(): void

  protected send(event: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event))
  }

  protected close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason)
  }

  /** Call after each audio frame was taken in: reports it, and runs the faults that count frames. */
  protected audioFrame(bytes: number, audioMs: number): void {
    this.frames++
    this.ctx.emit({ type: 'realtime-frame', id: this.ctx.id, bytes, audioMs, at: performance.now() })
    const drop = this.ctx.fault?.dropAfterFrames
    if (drop !== undefined && this.frames >= drop) {
      this.ctx.emit({ type: 'fault', id: this.ctx.id, fault: `drop_after_frames=${drop}` })
      this.ended = true
      this.ws.terminate()
      return
    }
    this.fireFault()
  }

  /** How long the armed fault holds each final (0 without one). */
  protected get finalDelayMs(): number {
    return this.ctx.fault?.delayFinalMs ?? 0
  }

  private fireFault() {
    const fault = this.ctx.fault
    if (!fault || fault.afterFrames !== this.frames || (!fault.errorEvent && !fault.close)) return
    if (fault.errorEvent) {
      this.ctx.emit({ type: 'fault', id: this.ctx.id, fault: `error_event=${JSON.stringify(fault.errorEvent)}` })
      this.faultError(fault.errorEvent)
    }
    if (fault.close) {
      this.ctx.emit({ type: 'fault', id: this.ctx.id, fault: `close=${fault.close.code}` })
      this.close(fault.close.code, fault.close.reason)
    }
  }

  /** A bug in this server: logged, and the socket closed as the providers do (1011). */
  protected failed(error: unknown): void {
    this.ctx.log(
      `realtime ${this.ctx.protocol} #${this.ctx.id}: ${error instanceof Error ? error.stack : String(error)}`,
    )
    this.close(1011, 'internal error')
  }

  private receive(data: RawData, isBinary: boolean) {
    // Messages already read when a close began are not taken in.
    if (this.ended || this.ws.readyState !== this.ws.OPEN) return
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength
    if (bytes > this.ctx.limits.maxFrameBytes) {
      this.tooLarge(bytes)
      this.close(1009, 'message too big')
      return
    }
    if (isBinary) return this.binary()
    const text = (
      Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
    ).toString('utf8')
    try {
      this.text(text)
    } catch (error) {
      this.failed(error)
    }
    this.warmUp()
  }

  private warmUp() {
    clearTimeout(this.warming)
    if (!this.ended) this.warm()
  }

  private closed(code: number, reason: string) {
    this.ended = true
    clearTimeout(this.expiry)
    clearTimeout(this.warming)
    this.release()
    this.ctx.emit({ type: 'realtime-close', id: this.ctx.id, code, reason, at: performance.now() })
    this.ctx.onClosed()
  }
}
