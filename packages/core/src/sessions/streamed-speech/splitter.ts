/**
 * Streamed text → pieces to speak, cut at sentence ends. Pure (no DOM), unit-tested in Node.
 *
 * The first piece is one sentence, so speech starts as soon as the first sentence is written;
 * later pieces grow by one sentence each up to `maxSentences` (Dify grows its batches 2 → 7), so
 * fewer, longer requests follow while the first pieces play. A '.' is a sentence end only when
 * white space follows and it is not an abbreviation or initial ("Dr.", "e.g.", "J. R. R."), nor
 * followed by a lower-case word ("approx. five"); decimals ("3.14") and URLs ("example.com/a.b")
 * never have white space after their dots. 。！？ end a sentence at once. Text without any sentence
 * end is cut at `maxChars`, at a space (after a comma if there is one), never inside a word.
 */

export interface SentenceSplitterOptions {
  /** Sentences in the first piece. Default 1. */
  firstSentences?: number
  /** Most sentences in a piece; each piece after the first holds one more than the one before. Default 7. */
  maxSentences?: number
  /** Longest run of text without a sentence end before it is cut at a space. Default 250. */
  maxChars?: number
  /** A piece takes no further sentence once it is this long. Default 1000. */
  maxPieceChars?: number
}

export interface SentenceSplitter {
  /** Adds text as it arrives (any cut: a token, a word, part of one). */
  push(text: string): void
  /** No more text will come: what is left becomes the last piece. */
  end(): void
  /**
   * The next piece, or undefined while it is not complete. A piece is complete when it holds its
   * share of sentences (or the text has ended); with `eager`, as soon as one sentence is complete
   * (the listener would otherwise wait: nothing else is left to play).
   */
  take(eager?: boolean): string | undefined
  /** Complete sentences waiting to be taken. */
  readonly sentences: number
  /** True once the text has ended and every piece was taken. */
  readonly done: boolean
}

const ENDS = '.!?…'
const CJK_ENDS = '。！？'
const CLOSERS = '"\'”’)]}」』）】'
/** Words that end with a dot without ending the sentence (compared lower-case, inner dots kept). */
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof sr jr st mt vs e.g i.e cf approx no nos fig figs vol p pp ca esp incl dept est gen gov lt col sgt capt rev hon'.split(
    ' ',
  ),
)
const SPEAKABLE = /[\p{L}\p{N}]/u
const SPACE = /\s/
const isLowerStart = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase()

/**
 * Where the sentence starting at or before `from` ends in `text`: the index just after it,
 * `-1` when no sentence end is known yet (more text is needed to decide, or there is none).
 */
export function sentenceEnd(text: string, from: number, final: boolean): number {
  const n = text.length
  for (let i = from; i < n; i++) {
    const c = text[i]!
    if (c === '\n') return i + 1
    const cjk = CJK_ENDS.includes(c)
    if (!cjk && !ENDS.includes(c)) continue
    let j = i + 1
    while (j < n && (ENDS.includes(text[j]!) || CJK_ENDS.includes(text[j]!))) j++
    while (j < n && CLOSERS.includes(text[j]!)) j++
    if (j === n) return final ? n : -1
    if (cjk) return j
    if (!SPACE.test(text[j]!)) {
      i = j - 1 // a decimal, a URL, an inner dot of "e.g."
      continue
    }
    // '!', '?', '…', '...' and a dot followed by a closing quote or bracket end the sentence.
    if (c !== '.' || j !== i + 1) return j
    // A single '.' followed by white space: an abbreviation, an initial, or a lower-case word after it?
    let w = i
    while (w > 0 && /[\p{L}.]/u.test(text[w - 1]!)) w--
    const word = text.slice(w, i)
    if (ABBREVIATIONS.has(word.toLowerCase())) continue
    if (word.length === 1 && /\p{Lu}/u.test(word)) continue
    let k = j
    while (k < n && SPACE.test(text[k]!)) k++
    if (k === n) {
      if (final) return n
      return -1 // the next word decides
    }
    if (isLowerStart(text[k]!)) continue
    return j
  }
  return -1
}

/** Where to cut `text` (no sentence end in it) at or before `max`; -1 to wait for more. */
function capCut(text: string, max: number, final: boolean): number {
  if (text.length <= max) return -1
  const head = text.slice(0, max + 1)
  // After a comma, semicolon, colon or dash followed by a space, else at the last space.
  const clause = Math.max(...[',', ';', ':', '—', '–', '，', '、', '；'].map((p) => head.lastIndexOf(p)))
  if (clause > max / 2) return clause + 1
  const space = head.search(/\s\S*$/)
  if (space > max / 2) return space
  // No space near the cap: CJK text (cut there), or one long word such as a URL (wait for its end).
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text[max - 1]!)) return max
  const after = text.slice(max).search(/\s/)
  if (after >= 0) return max + after
  return final ? text.length : -1
}

export function createSentenceSplitter(options: SentenceSplitterOptions = {}): SentenceSplitter {
  const { firstSentences = 1, maxSentences = 7, maxChars = 250, maxPieceChars = 1000 } = options
  let buffer = ''
  /** End offsets (in `buffer`) of the complete sentences at its start. */
  const ends: number[] = []
  let scanned = 0
  let ended = false
  let pieces = 0

  const scan = () => {
    for (;;) {
      const start = ends.at(-1) ?? 0
      let end = sentenceEnd(buffer, Math.max(scanned, start), ended)
      if (end < 0) {
        scanned = start // undecided: the whole sentence is scanned again when more text arrives
        const cut = capCut(buffer.slice(start), maxChars, ended)
        if (cut < 0) {
          if (ended && buffer.length > start) ends.push(buffer.length)
          return
        }
        end = start + cut
      }
      ends.push(end)
      scanned = end
      if (end >= buffer.length) return
    }
  }

  const share = () => Math.min(maxSentences, pieces === 0 ? firstSentences : firstSentences + pieces)

  return {
    push(text) {
      if (ended || !text) return
      buffer += text
      scan()
    },
    end() {
      if (ended) return
      ended = true
      scan()
    },
    take(eager = false) {
      for (;;) {
        if (!ends.length) return undefined
        let count = Math.min(share(), ends.length)
        while (count > 1 && ends[count - 1]! > maxPieceChars) count--
        const full = count >= share() || ends[count - 1]! >= maxPieceChars || ends[count]! > maxPieceChars
        if (!full && !eager && !(ended && count === ends.length)) return undefined
        const cut = ends[count - 1]!
        const piece = buffer.slice(0, cut).trim()
        buffer = buffer.slice(cut)
        ends.splice(0, count)
        for (let i = 0; i < ends.length; i++) ends[i]! -= cut
        scanned = Math.max(0, scanned - cut)
        if (!SPEAKABLE.test(piece)) continue // only punctuation or white space: nothing to say
        pieces++
        return piece
      }
    },
    get sentences() {
      return ends.length
    },
    get done() {
      return ended && !ends.length
    },
  }
}
