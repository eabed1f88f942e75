// External programs (flite, pocketsphinx, ffmpeg): where they are, how to run them, and the error when they are missing.
import { spawn } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** A Debian package list that makes the missing piece appear. */
export const STT_PACKAGES = ['pocketsphinx', 'pocketsphinx-en-us'] as const
export const DECODER_PACKAGES = ['ffmpeg'] as const
export const TTS_PACKAGES = ['flite'] as const

/** The one-line command that installs Debian packages. */
export const aptInstall = (packages: readonly string[]) => `apt-get install -y ${packages.join(' ')}`

/**
 * An engine this request needs is not installed. Its message names the Debian packages to install,
 * unless `remedy` says what else to do (installing the packages would not help).
 */
export class EngineMissingError extends Error {
  override name = 'EngineMissingError'
  constructor(
    readonly what: string,
    readonly packages: readonly string[],
    remedy?: string,
  ) {
    super(
      `speech-server: ${what}. ` +
        (remedy ?? `Install the Debian packages ${packages.join(' ')} (${aptInstall(packages)}).`),
    )
  }
}

/** The audio could not be decoded (not audio, or a format ffmpeg does not know). */
export class UndecodableAudioError extends Error {
  override name = 'UndecodableAudioError'
}

/** Finds an executable by path, or by name on PATH. */
export function findExecutable(nameOrPath: string): string | undefined {
  const candidates = nameOrPath.includes('/')
    ? [nameOrPath]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, nameOrPath))
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {}
  }
  return undefined
}

export function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

export interface RunResult {
  code: number | null
  stdout: Buffer
  stderr: string
}

/** Runs a program to completion (killed on abort or after `timeoutMs`), collecting its output. */
export function run(program: string, args: string[], options: { signal?: AbortSignal; timeoutMs: number }) {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    let stderr = ''
    const kill = () => child.kill('SIGKILL')
    const timer = setTimeout(kill, options.timeoutMs)
    options.signal?.addEventListener('abort', kill, { once: true })
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString()
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', kill)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', kill)
      resolve({ code, stdout: Buffer.concat(stdout), stderr })
    })
  })
}
