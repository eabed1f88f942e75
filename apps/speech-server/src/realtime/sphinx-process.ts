// One pocketsphinx_continuous that decodes audio while it is being written. 16 kHz mono PCM goes in through a FIFO
// (`-infile /dev/stdin`), and with `-time yes` each utterance's token lines come out as soon as the program's own VAD
// ends that utterance (a pause), or its input ends.
//
// Why a FIFO: Node gives a child's stdin as a socket, and pocketsphinx opens `-infile` by name, which fails on a
// socket. So the FIFO's read end becomes the child's fd 0 (it reopens it, blocking, as /dev/stdin) and we keep the
// only write end: closing it is the end of input, and if this process dies the child sees the end and exits too.
import { type ChildProcess, spawn } from 'node:child_process'
import { close, constants, open, unlink } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Socket } from 'node:net'
import { setPriority } from 'node:os'
import { promisify } from 'node:util'
import { parseTokenLine, type TimedToken } from '../engines/stt.ts'

const openFd = promisify(open)
const closeFd = promisify(close)
const unlinkPath = promisify(unlink)

export interface SphinxExit {
  /** Everything it printed on stdout. */
  output: string
  /** Set when it could not start, failed, or was killed. */
  error?: Error
}

export class SphinxProcess {
  /** Settles when the program has exited (never rejects). */
  readonly exited: Promise<SphinxExit>
  /** Samples handed to it so far. */
  written = 0
  /** Token lines, as they arrive (only whole lines; one call per stdout chunk). */
  onTokens: ((tokens: TimedToken[]) => void) | undefined
  private child: ChildProcess | undefined
  private socket: Socket | undefined
  private queued: Buffer[] = []
  private ending = false
  private killed = false
  private output = ''
  private partial = ''
  private stderr = ''

  /**
   * `nice`: a lower priority (0–19) for work that may wait, so that it takes no CPU from work that may not.
   * `startAfter`: the program starts once it settles (what is written meanwhile waits here).
   */
  constructor(
    program: string,
    args: string[],
    makeFifo: () => Promise<string>,
    private readonly nice = 0,
    private readonly startAfter?: Promise<void>,
  ) {
    this.exited = this.run(program, args, makeFifo).catch((error: unknown) => ({
      output: this.output,
      error: error instanceof Error ? error : new Error(String(error)),
    }))
  }

  write(pcm: Int16Array): void {
    if (this.ending || this.killed || pcm.length === 0) return
    // Copied: the caller may reuse its buffer. Little-endian, like the host (x86, arm64).
    const bytes = Buffer.from(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength))
    this.written += pcm.length
    if (this.socket) this.socket.write(bytes)
    else this.queued.push(bytes)
  }

  /**
   * Whether it has taken in everything written so far and is blocked reading for more (so it has printed all it will
   * print for that audio). Read from /proc; undefined where /proc cannot say (not Linux).
   */
  async waiting(): Promise<boolean | undefined> {
    const pid = this.child?.pid
    if (pid === undefined || !this.socket || this.queued.length > 0 || this.socket.writableLength > 0) return false
    let stat: string
    try {
      stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    } catch {
      return this.child?.exitCode === null ? undefined : false
    }
    // `pid (comm) state …`: the state letter follows the last ')'.
    if (stat[stat.lastIndexOf(')') + 2] !== 'S') return false
    const wchan = await readFile(`/proc/${pid}/wchan`, 'utf8').catch(() => '')
    // Sleeping in a pipe read (kernels name it pipe_wait, pipe_read or anon_pipe_read); '0' when it is hidden.
    return wchan === '' || wchan === '0' || wchan.includes('pipe')
  }

  /** The end of the audio: it decodes what is left, prints the last utterance and exits. */
  end(): void {
    if (this.ending) return
    this.ending = true
    this.socket?.end(() => this.socket?.destroy())
  }

  /** Stops (SIGSTOP) or resumes (SIGCONT) the program: a stopped decoder takes no CPU and loses nothing. */
  pause(paused: boolean): void {
    if (!this.killed && this.child?.exitCode === null) this.child.kill(paused ? 'SIGSTOP' : 'SIGCONT')
  }

  kill(): void {
    if (this.killed) return
    this.killed = true
    this.socket?.destroy()
    this.child?.kill('SIGKILL')
  }

  private async run(program: string, args: string[], makeFifo: () => Promise<string>): Promise<SphinxExit> {
    await this.startAfter
    if (this.killed) return { output: '', error: new Error('killed') }
    const path = await makeFifo()
    // Non-blocking: opening a FIFO's write end needs a reader, and opening either end blocking would wait.
    const reader = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK)
    let writer: number
    try {
      writer = await openFd(path, constants.O_WRONLY | constants.O_NONBLOCK)
    } catch (error) {
      await closeFd(reader)
      throw error
    } finally {
      await unlinkPath(path).catch(() => {})
    }
    if (this.killed) {
      await Promise.all([closeFd(reader), closeFd(writer)])
      return { output: '', error: new Error('killed') }
    }
    let child: ChildProcess
    try {
      child = spawn(program, ['-infile', '/dev/stdin', ...args], { stdio: [reader, 'pipe', 'pipe'] })
      this.child = child
    } finally {
      await closeFd(reader)
    }
    if (this.nice > 0 && child.pid !== undefined) {
      try {
        setPriority(child.pid, this.nice)
      } catch {}
    }
    const socket = new Socket({ fd: writer, readable: false, writable: true })
    // EPIPE when the program died: its exit says why.
    socket.on('error', () => socket.destroy())
    this.socket = socket
    // Killed while it was starting: kill() found no child or socket to end then.
    if (this.killed) {
      socket.destroy()
      child.kill('SIGKILL')
    }
    for (const bytes of this.queued) socket.write(bytes)
    this.queued = []
    if (this.ending) socket.end(() => socket.destroy())

    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => this.read(chunk))
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4096)
    })
    return new Promise<SphinxExit>((resolve) => {
      child.once('error', (error) => {
        socket.destroy()
        resolve({ output: this.output, error })
      })
      child.once('close', (code, signal) => {
        socket.destroy()
        if (this.partial) this.read('\n')
        if (code === 0) resolve({ output: this.output })
        else
          resolve({
            output: this.output,
            error: new Error(
              this.killed
                ? 'killed'
                : `pocketsphinx failed (${signal ?? `code ${code}`}): ${this.stderr.trim().split('\n').pop() ?? ''}`,
            ),
          })
      })
    })
  }

  private read(chunk: string) {
    this.output += chunk
    const lines = (this.partial + chunk).split('\n')
    this.partial = lines.pop() ?? ''
    const tokens = lines.map(parseTokenLine).filter((token) => token !== undefined)
    if (tokens.length > 0) this.onTokens?.(tokens)
  }
}
