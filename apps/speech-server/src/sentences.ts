// Text → sentences, the unit of synthesis and of streaming (one MP3 per sentence).

/**
 * Splits after `.`, `!`, `?` or `…` (with any closing quotes or brackets) followed by white space, and at line breaks.
 * Pieces with nothing to say (only punctuation) are dropped.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…]["'”’)\]]*)\s+|\s*\n\s*/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s))
}

/** What Flite can read: ASCII, accents removed, white space collapsed. */
export function toSpeakable(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, ', ')
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}
