// Synthetic media for the browser benches, made once per run with ffmpeg from the speech fixtures.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES = fileURLToPath(new URL('../fixtures/speech/', import.meta.url))
export const FIXTURE_WAV = join(FIXTURES, 'three-sentences.wav')
export const FIXTURE_MP3 = join(FIXTURES, 'three-sentences.mp3')

let dir: string | undefined
export function mediaDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'voicekit-bench-'))
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Removes this run's media. */
export function removeMedia(): void {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
}

export function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' })
}

/** The fixture speech looped to `seconds`, mono at `rate` Hz, encoded with `codec` into `name` (made once). */
function loopedSpeech(name: string, seconds: number, rate: number, codec: string[]): string {
  const file = join(mediaDir(), name)
  if (!existsSync(file)) {
    ffmpeg([
      '-stream_loop',
      '-1',
      '-i',
      FIXTURE_WAV,
      '-t',
      String(seconds),
      '-ac',
      '1',
      '-ar',
      String(rate),
      ...codec,
      file,
    ])
  }
  return file
}

/** The fixture speech looped to `seconds`, as WebM/Opus (what Chromium's MediaRecorder writes). */
export function speechWebm(seconds: number): string {
  return loopedSpeech(`speech-${seconds}s.webm`, seconds, 48_000, ['-c:a', 'libopus', '-b:a', '32k'])
}

/** The fixture speech looped to `seconds`, as a CBR MP3 (what the providers stream). */
export function speechMp3(seconds: number, bitrate = '64k'): string {
  // Bare frames (no ID3, no Xing header), so that copies of the file concatenate into one valid stream.
  return loopedSpeech(`speech-${seconds}s-${bitrate}.mp3`, seconds, 44_100, [
    '-c:a',
    'libmp3lame',
    '-b:a',
    bitrate,
    '-write_xing',
    '0',
    '-id3v2_version',
    '0',
    '-write_id3v1',
    '0',
  ])
}

/**
 * The dictation benches' page server: the bench script at /, the long fixture at /media/, and whatever
 * `route` answers first (the proxy, the bench's own controls); everything else 404.
 */
export function dictationPageServer(
  script: string,
  route: (req: IncomingMessage, res: ServerResponse) => boolean,
): Server {
  const media: Record<string, [string, Buffer]> = {
    '/media/long-dictation.wav': ['audio/wav', readFileSync(join(FIXTURES, 'long-dictation.wav'))],
    '/media/long-dictation.json': ['application/json', readFileSync(join(FIXTURES, 'long-dictation.json'))],
  }
  return createServer((req, res) => {
    if (route(req, res)) return
    const url = req.url ?? '/'
    const file = media[url]
    if (file) res.writeHead(200, { 'content-type': file[0] }).end(file[1])
    else if (url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    else if (url === '/')
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>')
    else res.writeHead(404).end()
  })
}
