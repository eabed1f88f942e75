// The one table of audio types: every label browsers and providers use for the same container, keyed by its
// file extension, the standard label first. The upload formats, the recorder's type choice and the player's
// type all read it.

export const AUDIO_TYPES = {
  wav: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  mp3: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mp3'],
  m4a: ['audio/mp4', 'audio/m4a', 'audio/x-m4a'],
  webm: ['audio/webm', 'video/webm'],
  ogg: ['audio/ogg', 'audio/opus'],
  flac: ['audio/flac', 'audio/x-flac'],
  amr: ['audio/amr'],
  // MPEG audio under a name of its own: Dify and OpenAI take it as a separate upload format.
  mpga: ['audio/mpga'],
} as const satisfies Readonly<Record<string, readonly string[]>>

export type AudioExtension = keyof typeof AUDIO_TYPES

/** The type, lowercase, without parameters: `audio/ogg; codecs=opus` → `audio/ogg`. */
export const baseType = (type: string): string => type.split(';')[0]!.trim().toLowerCase()

/** The extension of the container a type names (any label, any parameters), or undefined. */
export function extensionOf(type: string | null | undefined): AudioExtension | undefined {
  const base = baseType(type ?? '')
  return (Object.keys(AUDIO_TYPES) as AudioExtension[]).find((ext) =>
    (AUDIO_TYPES[ext] as readonly string[]).includes(base),
  )
}

/** `audio/mp3; charset=x` → `audio/mpeg`; every alias folded to its standard label; empty stays empty. */
export function normaliseAudioMime(type: string | null | undefined): string {
  const ext = extensionOf(type)
  return ext ? AUDIO_TYPES[ext === 'mpga' ? 'mp3' : ext][0] : baseType(type ?? '')
}
