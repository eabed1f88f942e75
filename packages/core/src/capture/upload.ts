// A recording → the exact file a transport accepts: passed through, relabelled, or transcoded to WAV.
import { VoiceError } from '../errors'
import type { TransportInput } from '../transport/types'
import { requireAudio, requireFits } from '../transport/upload'
import { acceptedLabel, baseMime, extensionOf, isOpusInMp4 } from './mime'
import type { Recording } from './types'

/** Bytes per second of the WAV that `toUploadable` produces (16 kHz, mono, 16-bit). */
export const WAV_BYTES_PER_SECOND = 16_000 * 2

/** Reads the codec out of an MP4 header when the type does not say (`audio/mp4` from Chromium holds Opus). */
async function mp4HoldsOpus(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 64 * 1024).arrayBuffer())
  return new TextDecoder('latin1').decode(head).includes('Opus')
}

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
  const tooShort = (ms: number) => {
    if (input.minSeconds && ms < input.minSeconds * 1000) {
      throw new VoiceError('recording_too_short', `< ${input.minSeconds} s`)
    }
  }
  if (durationMs !== undefined) tooShort(durationMs)

  const fits = (file: File) => requireFits(file, input)

  const label = acceptedLabel(type, input.mimeTypes)
  const opus = isOpusInMp4(type) || (extensionOf(type) === 'm4a' && (await mp4HoldsOpus(blob)))
  if (label && !opus)
    return fits(new File([blob], `recording.${extensionOf(label) ?? baseMime(label).slice(6)}`, { type: label }))

  const wavLabel = acceptedLabel('audio/wav', input.mimeTypes)
  if (!wavLabel) {
    throw new VoiceError('unsupported_audio_type', `${type} (no WAV either)`)
  }
  // The transcoder is a chunk of its own, loaded on first need: never, for a provider that takes the
  // browser's own format.
  const { decodeToMono16k, encodeWav, TARGET_RATE } = await import('./transcode').catch((cause: unknown) => {
    throw new VoiceError('network', 'The audio transcoder could not be loaded', { cause })
  })
  let samples: Float32Array
  try {
    samples = await decodeToMono16k(await blob.arrayBuffer())
  } catch (cause) {
    throw new VoiceError('unsupported_audio_type', `undecodable ${type}`, { cause })
  }
  if (!samples.length) throw new VoiceError('no_audio')
  if (durationMs === undefined) tooShort((samples.length / TARGET_RATE) * 1000)
  return fits(new File([encodeWav(samples)], 'recording.wav', { type: wavLabel }))
}
