// Any uploaded audio → 16 kHz mono 16-bit PCM, the one format pocketsphinx reads. PCM/float WAV is decoded here;
// everything else (WebM, Ogg, MP4/M4A, MP3, …) goes through ffmpeg.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resample } from '../resample.ts'
import { decodeWav, floatToInt16, looksLikeWav } from '../wav.ts'
import { DECODER_PACKAGES, EngineMissingError, findExecutable, run, UndecodableAudioError } from './programs.ts'

export const RECOGNITION_RATE = 16_000

export async function decodeToPcm16k(
  audio: Uint8Array,
  options: { ffmpeg: string; signal?: AbortSignal },
): Promise<Int16Array> {
  const wav = decodeWav(audio)
  if (wav) {
    const samples =
      wav.sampleRate === RECOGNITION_RATE ? wav.samples : resample(wav.samples, wav.sampleRate, RECOGNITION_RATE)
    return floatToInt16(samples)
  }
  if (audio.length === 0) throw new UndecodableAudioError('the audio is empty')
  const ffmpeg = findExecutable(options.ffmpeg)
  if (!ffmpeg) {
    const kind = looksLikeWav(audio) ? 'compressed WAV' : 'audio that is not WAV'
    throw new EngineMissingError(
      `ffmpeg ('${options.ffmpeg}') is not installed, and ${kind} needs it`,
      DECODER_PACKAGES,
    )
  }
  const dir = await mkdtemp(join(tmpdir(), 'speech-server-decode-'))
  try {
    const input = join(dir, 'input')
    await writeFile(input, audio)
    const args = ['-nostdin', '-v', 'error', '-i', input, '-vn', '-f', 's16le', '-ac', '1', '-ar', '16000', 'pipe:1']
    const result = await run(ffmpeg, args, { timeoutMs: 120_000, ...(options.signal && { signal: options.signal }) })
    if (result.code !== 0 || result.stdout.length === 0) {
      const reason = result.stderr.trim().split('\n').pop() || `ffmpeg exited with code ${result.code}`
      throw new UndecodableAudioError(`the audio could not be decoded: ${reason}`)
    }
    const bytes = new Uint8Array(result.stdout.length - (result.stdout.length % 2))
    bytes.set(result.stdout.subarray(0, bytes.length))
    return new Int16Array(bytes.buffer)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
