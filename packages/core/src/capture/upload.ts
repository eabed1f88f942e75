// A recording → the exact file a transport accepts: passed through, relabelled, or transcoded to WAV.
import { VoiceError } from '../errors'
import type { TransportInput } from '../transport/types'
import { requireAudio, requireFits, requireLength } from '../transport/upload'
import { acceptedLabel, baseMime, extensionOf } from './mime'
import type { Recording } from './types'

/** Bytes per second of the WAV that `toUploadable` produces (16 kHz, mono, 16-bit). */
export const WAV_BYTES_PER_SECOND = 16_000 * 2

/**
 * Makes a recording uploadable to a transport, before any request:
 * - empty → `no_audio`; shorter than `input.minSeconds` → `recording_too_short`;
 * - a type the transport accepts → the same bytes, labelled with the transport's exact
 *   type and file name (Safari's AAC `audio/mp4` → `audio/m4a`, `recording.m4a` for Dify);
 * - anything else → decoded in the browser and re-encoded as 16 kHz mono 16-bit WAV
 *   (`recording.wav`, labelled as the transport spells WAV); undecodable → `unsupported_audio_type`;
 * - over `input.maxBytes` → `audio_too_large`.
 */
export async function toUploadable(recording: Recording | Blob, input: TransportInput): Promise<File> {
  const blob = recording instanceof Blob ? recording : recording.blob
  const type = (recording instanceof Blob ? recording.type : recording.mimeType) || blob.type
  const durationMs = recording instanceof Blob ? undefined : recording.durationMs
  requireAudio(blob)
  if (durationMs !== undefined) requireLength(durationMs, input)
  const label = acceptedLabel(type, input.mimeTypes)
  // Passed through as it is. An MP4 may hold Opus, which no provider takes as m4a: the transcoder's
  // chunk, loaded on first need, looks inside and decides.
  if (label && extensionOf(type) !== 'm4a')
    return requireFits(
      new File([blob], `recording.${extensionOf(label) ?? baseMime(label).slice(6)}`, { type: label }),
      input,
    )
  const { transcodeUpload } = await import('./transcode').catch((cause: unknown) => {
    throw new VoiceError('network', 'The audio transcoder could not be loaded', { cause })
  })
  return transcodeUpload(blob, type, label, durationMs, input)
}
