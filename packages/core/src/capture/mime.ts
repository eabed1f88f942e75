// Which type to ask MediaRecorder for, and which type it really wrote.
import { AUDIO_TYPES, baseType, extensionOf } from '../transport/audio-types'
import type { TransportInput } from '../transport/types'

/**
 * MediaRecorder types in order of preference. AAC in MP4 comes first: Safari/WebKit
 * records it best (even where it also claims webm), and most providers take it as
 * is (Dify as `audio/m4a`). Then Opus in WebM (Chromium, Firefox) and Ogg (Firefox).
 * A bare `audio/mp4` is last: Chromium writes Opus into it, which Dify refuses.
 */
export const RECORDING_PREFERENCE = [
  'audio/mp4;codecs=mp4a.40.2',
  'audio/webm;codecs=opus',
  'audio/ogg;codecs=opus',
  'audio/mp4',
  'audio/webm',
  'audio/ogg',
] as const

/** `audio/ogg; codecs=opus` → `audio/ogg` (the same helper the upload guard uses). */
export const baseMime = baseType

/** The file extension for a type (`m4a` for any MP4 audio), or undefined for a type outside the audio-type table. */
export { extensionOf }

/**
 * The exact label a transport accepts for a type's container: the first entry of
 * `accepted` in the same family (transports list their own spelling first), or undefined.
 */
export function acceptedLabel(type: string, accepted: readonly string[]): string | undefined {
  const ext = extensionOf(type)
  const family: readonly string[] = ext ? AUDIO_TYPES[ext] : [baseMime(type)]
  return accepted.find((item) => family.includes(baseMime(item)))
}

/** Opus in an MP4 container (what Chromium writes for `audio/mp4`): no provider that takes m4a decodes it. */
export const isOpusInMp4 = (type: string): boolean => extensionOf(type) === 'm4a' && /opus/i.test(type)

/**
 * The type to record with. First choice: a type this browser can record and the
 * transport accepts as it is (no transcoding). Otherwise the browser's best type from
 * the preference list (it will be transcoded to WAV). `undefined` lets MediaRecorder pick.
 */
export function chooseRecordingType(
  input: TransportInput | undefined,
  isSupported: (type: string) => boolean,
): string | undefined {
  const supported = RECORDING_PREFERENCE.filter((type) => {
    try {
      return isSupported(type)
    } catch {
      return false
    }
  })
  const asIs = supported.find(
    (type) =>
      // A bare audio/mp4 may hold Opus (Chromium): only the explicit AAC type counts as m4a.
      type !== 'audio/mp4' && input && acceptedLabel(type, input.mimeTypes),
  )
  return asIs ?? supported[0]
}

/**
 * The type MediaRecorder really wrote: the first chunk's (it carries the container
 * header; `recorder.mimeType` can still be empty), else the recorder's, else the one asked for.
 */
export function recordedType(chunks: readonly Blob[], recorderType: string, requested: string | undefined): string {
  return chunks.find((chunk) => chunk.type)?.type || recorderType || requested || ''
}
