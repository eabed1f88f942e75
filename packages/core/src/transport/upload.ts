// The guard every upload passes before a byte is sent, and the labelling that
// gives each part the exact Content-Type and file name its provider accepts.
import { VoiceError } from '../errors'
import type { TransportInput } from './types'

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

/** The blob's type, lowercase, without parameters. */
export const baseType = (type: string): string => type.split(';')[0]!.trim().toLowerCase()

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
  if (!(audio instanceof Blob) || audio.size === 0) {
    throw new VoiceError('no_audio', 'The recording is empty', { provider })
  }
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
  if (audio.size > input.maxBytes) {
    throw new VoiceError(
      'audio_too_large',
      `The recording is ${audio.size} bytes; ${provider} accepts up to ${input.maxBytes}`,
      { provider },
    )
  }
  return {
    blob: audio.type === format.type ? audio : new Blob([audio], { type: format.type }),
    name: `recording.${format.ext}`,
  }
}

/** Formats for WAV and MP3 with the standard labels: what every provider decodes. */
export const WAV: UploadFormat = {
  type: 'audio/wav',
  ext: 'wav',
  aliases: ['audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
}
export const MP3: UploadFormat = {
  type: 'audio/mpeg',
  ext: 'mp3',
  aliases: ['audio/mp3', 'audio/mpeg3', 'audio/x-mp3'],
}
