// The in-browser transcoder, one lazily loaded chunk: decode → 16 kHz mono → 16-bit WAV, and the MP4
// look-inside that decides whether an m4a recording can go as it is.
import { VoiceError } from '../errors'
import type { TransportInput } from '../transport/types'
import { requireFits, requireLength } from '../transport/upload'
import { acceptedLabel, baseMime, extensionOf, isOpusInMp4 } from './mime'
import { decodeToMono16k, TARGET_RATE } from './resample'
import { encodeWav } from './wav'

export { decodeToMono16k, encodeWav, TARGET_RATE }

/** Reads the codec out of an MP4 header when the type does not say (`audio/mp4` from Chromium holds Opus). */
async function mp4HoldsOpus(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 64 * 1024).arrayBuffer())
  return new TextDecoder('latin1').decode(head).includes('Opus')
}

/** The rest of `toUploadable`: an MP4 the transport accepts unless it holds Opus, otherwise a WAV. */
export async function transcodeUpload(
  blob: Blob,
  type: string,
  label: string | undefined,
  durationMs: number | undefined,
  input: TransportInput,
): Promise<File> {
  const opus = isOpusInMp4(type) || (extensionOf(type) === 'm4a' && (await mp4HoldsOpus(blob)))
  if (label && !opus)
    return requireFits(
      new File([blob], `recording.${extensionOf(label) ?? baseMime(label).slice(6)}`, { type: label }),
      input,
    )
  const wavLabel = acceptedLabel('audio/wav', input.mimeTypes)
  if (!wavLabel) throw new VoiceError('unsupported_audio_type', `${type} (no WAV either)`)
  let samples: Float32Array
  try {
    samples = await decodeToMono16k(await blob.arrayBuffer())
  } catch (cause) {
    throw new VoiceError('unsupported_audio_type', `undecodable ${type}`, { cause })
  }
  if (!samples.length) throw new VoiceError('no_audio')
  if (durationMs === undefined) requireLength((samples.length / TARGET_RATE) * 1000, input)
  return requireFits(new File([encodeWav(samples)], 'recording.wav', { type: wavLabel }), input)
}
