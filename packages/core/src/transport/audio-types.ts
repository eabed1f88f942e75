// The one table of audio types: every name browsers and providers use for the same container, keyed by
// its file extension. The upload formats, the recorder's type choice and the player's type all read it.

export interface AudioType {
  /** The standard label. */
  readonly type: string
  /** File name extension. */
  readonly ext: string
  /** Other labels for the same bytes. */
  readonly aliases: readonly string[]
}

export const AUDIO_TYPES = {
  wav: { type: 'audio/wav', ext: 'wav', aliases: ['audio/x-wav', 'audio/wave', 'audio/vnd.wave'] },
  mp3: { type: 'audio/mpeg', ext: 'mp3', aliases: ['audio/mp3', 'audio/mpeg3', 'audio/x-mp3'] },
  m4a: { type: 'audio/mp4', ext: 'm4a', aliases: ['audio/m4a', 'audio/x-m4a'] },
  webm: { type: 'audio/webm', ext: 'webm', aliases: ['video/webm'] },
  ogg: { type: 'audio/ogg', ext: 'ogg', aliases: ['audio/opus'] },
  flac: { type: 'audio/flac', ext: 'flac', aliases: ['audio/x-flac'] },
  amr: { type: 'audio/amr', ext: 'amr', aliases: [] },
  // MPEG audio under a name of its own: Dify and OpenAI take it as a separate upload format.
  mpga: { type: 'audio/mpga', ext: 'mpga', aliases: [] },
} as const satisfies Readonly<Record<string, AudioType>>

export type AudioExtension = keyof typeof AUDIO_TYPES

/** The type, lowercase, without parameters: `audio/ogg; codecs=opus` → `audio/ogg`. */
export const baseType = (type: string): string => type.split(';')[0]!.trim().toLowerCase()

/** Every label of a table entry, the standard one first. */
export const labelsOf = (entry: AudioType): readonly string[] => [entry.type, ...entry.aliases]

/** The table entry a type belongs to (any label, any parameters), or undefined. */
export function audioTypeOf(type: string | null | undefined): AudioType | undefined {
  const base = baseType(type ?? '')
  return Object.values(AUDIO_TYPES).find((entry: AudioType) => entry.type === base || entry.aliases.includes(base))
}

/** `audio/mp3; charset=x` → `audio/mpeg`; every alias folded to its standard label; empty stays empty. */
export function normaliseAudioMime(type: string | null | undefined): string {
  const entry = audioTypeOf(type)
  if (entry === AUDIO_TYPES.mpga) return AUDIO_TYPES.mp3.type
  return entry?.type ?? baseType(type ?? '')
}
