// The guard every upload passes before a byte is sent, and the labelling that
// gives each part the exact Content-Type and file name its provider accepts.
import { VoiceError } from '../errors'
import { AUDIO_TYPES, type AudioExtension, baseType } from './audio-types'
import type { TransportInput } from './types'

export { baseType }

/** One upload format a provider accepts. */
export interface UploadFormat {
  /** The Content-Type the part is sent with (the provider's own spelling, e.g. Dify's `audio/mp3`). */
  readonly type: string
  /** File name extension: the part is named `recording.<ext>`. */
  readonly ext: string
  /** Other blob types browsers use for the same bytes (`audio/mpeg` for mp3, `audio/x-wav`, ...). */
  readonly aliases?: readonly string[]
  /** A blob of this type whose full type (with parameters) matches is rejected, e.g. Opus in MP4. */
  readonly reject?: RegExp
}

export interface Upload {
  /** The same bytes, typed with the provider's label. */
  blob: Blob
  name: string
}

/** Every blob type (lowercase, no parameters) the formats accept: a transport's `input.mimeTypes`. */
export const acceptedTypes = (formats: readonly UploadFormat[]): string[] =>
  formats.flatMap((format) => [format.type, ...(format.aliases ?? [])])

/**
 * Checks a recording against what the provider accepts, before any request: not a
 * blob or empty → `no_audio`; a type outside `formats` → `unsupported_audio_type`;
 * over `input.maxBytes` → `audio_too_large`. Returns the blob relabelled for upload.
 */
export function prepareUpload(
  provider: string,
  audio: Blob,
  input: TransportInput,
  formats: readonly UploadFormat[],
): Upload {
  requireAudio(audio, provider)
  const base = baseType(audio.type)
  const format = formats.find(
    (item) => (item.type === base || item.aliases?.includes(base)) && !item.reject?.test(audio.type),
  )
  if (!format) {
    throw new VoiceError(
      'unsupported_audio_type',
      `${provider} does not accept ${audio.type || 'untyped audio'}; send ${formats.map((item) => item.ext).join(', ')}`,
      { provider },
    )
  }
  requireFits(audio, input, provider)
  return {
    blob: audio.type === format.type ? audio : new Blob([audio], { type: format.type }),
    name: `recording.${format.ext}`,
  }
}

/** Not a blob, or empty → `no_audio`: the first check of every upload guard. */
export function requireAudio(audio: Blob, provider?: string): void {
  if (!(audio instanceof Blob) || audio.size === 0) {
    throw new VoiceError('no_audio', 'The recording is empty', { provider })
  }
}

/** Over `input.maxBytes` → `audio_too_large`: the last check of every upload guard. */
/** `recording_too_short` below the transport's `minSeconds`. */
export function requireLength(ms: number, input: TransportInput): void {
  if (input.minSeconds && ms < input.minSeconds * 1000) {
    throw new VoiceError('recording_too_short', `< ${input.minSeconds} s`)
  }
}

export function requireFits<T extends Blob>(audio: T, input: TransportInput, provider?: string): T {
  if (audio.size > input.maxBytes) {
    throw new VoiceError(
      'audio_too_large',
      `The recording is ${audio.size} bytes; ${provider ?? 'the provider'} accepts up to ${input.maxBytes}`,
      { provider },
    )
  }
  return audio
}

/**
 * An upload format from the audio-type table: sent with the standard label, or with `spelling` (a provider's own
 * label for the same container, e.g. Dify's `audio/mp3`), every other label of the container accepted as an alias.
 */
export function uploadFormat(ext: AudioExtension, spelling?: string, reject?: RegExp): UploadFormat {
  const labels: readonly string[] = AUDIO_TYPES[ext]
  const type = spelling ?? labels[0]!
  return { type, ext, aliases: labels.filter((label) => label !== type), ...(reject ? { reject } : {}) }
}

/** Formats for WAV and MP3 with the standard labels: what every provider decodes. */
export const WAV: UploadFormat = /* @__PURE__ */ uploadFormat('wav')
export const MP3: UploadFormat = /* @__PURE__ */ uploadFormat('mp3')
