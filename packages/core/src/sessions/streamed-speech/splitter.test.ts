import { describe, expect, test } from 'vitest'
import { createSentenceSplitter, type SentenceSplitterOptions } from './splitter'

/** Feeds `text` in `size`-character tokens, taking pieces as a listener would (not eager), then ends. */
function split(text: string, size = 3, options?: SentenceSplitterOptions): string[] {
  const splitter = createSentenceSplitter(options)
  const pieces: string[] = []
  const drain = () => {
    for (let piece = splitter.take(); piece !== undefined; piece = splitter.take()) pieces.push(piece)
  }
  for (let i = 0; i < text.length; i += size) {
    splitter.push(text.slice(i, i + size))
    drain()
  }
  splitter.end()
  drain()
  expect(splitter.done).toBe(true)
  return pieces
}

/** Every sentence end the splitter finds, pieces of one sentence each (eager, so none waits for company). */
function sentences(text: string, size = 1): string[] {
  const splitter = createSentenceSplitter({ maxSentences: 1 })
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) {
    splitter.push(text.slice(i, i + size))
    for (let p = splitter.take(true); p !== undefined; p = splitter.take(true)) out.push(p)
  }
  splitter.end()
  for (let p = splitter.take(true); p !== undefined; p = splitter.take(true)) out.push(p)
  return out
}

describe('sentence ends', () => {
  test('., ! and ? followed by white space end a sentence; the text is kept as written', () => {
    expect(sentences('Hello there! How are you? I am fine.  Thanks.')).toEqual([
      'Hello there!',
      'How are you?',
      'I am fine.',
      'Thanks.',
    ])
  })

  test('never inside a number, a decimal or a price', () => {
    expect(sentences('Pi is 3.14159 roughly. It costs $4.99 today. Version 2.0.1 shipped in 2024. Done.')).toEqual([
      'Pi is 3.14159 roughly.',
      'It costs $4.99 today.',
      'Version 2.0.1 shipped in 2024.',
      'Done.',
    ])
  })

  test('never after an abbreviation or an initial, nor before a lower-case word', () => {
    expect(
      sentences(
        'Dr. Smith met Mrs. Jones, e.g. at noon. J. R. R. Tolkien wrote it. It weighs approx. five kilos. Yes.',
      ),
    ).toEqual([
      'Dr. Smith met Mrs. Jones, e.g. at noon.',
      'J. R. R. Tolkien wrote it.',
      'It weighs approx. five kilos.',
      'Yes.',
    ])
    expect(sentences('See fig. 3 and No. 7 vs. no. 8. Then stop.')).toEqual([
      'See fig. 3 and No. 7 vs. no. 8.',
      'Then stop.',
    ])
  })

  test('never inside a URL or an e-mail address', () => {
    expect(
      sentences('Open https://example.com/docs/v1.2/index.html?a=1&b=2. Or write to help@mail.example.org. Bye!'),
    ).toEqual(['Open https://example.com/docs/v1.2/index.html?a=1&b=2.', 'Or write to help@mail.example.org.', 'Bye!'])
  })

  test('closing quotes and brackets stay with their sentence; ellipses and ?! runs end one', () => {
    expect(sentences('He said "stop." (Really!) Well... maybe?! Fine…  Ok.')).toEqual([
      'He said "stop."',
      '(Really!)',
      'Well...',
      'maybe?!',
      'Fine…',
      'Ok.',
    ])
  })

  test('CJK 。！？ end a sentence with no space after them', () => {
    expect(sentences('你好。今天天气很好！你要去哪里？「好的。」我们走吧')).toEqual([
      '你好。',
      '今天天气很好！',
      '你要去哪里？',
      '「好的。」',
      '我们走吧',
    ])
    expect(sentences('こんにちは。元気ですか？')).toEqual(['こんにちは。', '元気ですか？'])
  })

  test('a line break ends a sentence (lists, headings); pieces with nothing to say are dropped', () => {
    expect(sentences('Steps:\n- open the lid\n- pour\n\n...\n')).toEqual(['Steps:', '- open the lid', '- pour'])
  })

  test('the same sentences whatever the token cuts', () => {
    const text = 'Dr. Who paid $3.50 at example.com. Really? Yes!\nNew line. 最后一句。'
    const expected = sentences(text, 1)
    for (const size of [2, 3, 5, 7, 11, 64]) expect(sentences(text, size)).toEqual(expected)
  })

  test('a dot at the end of what has arrived waits for the next character', () => {
    const splitter = createSentenceSplitter()
    splitter.push('The value is 3.')
    expect(splitter.take(true)).toBeUndefined()
    splitter.push('5 units. And')
    expect(splitter.take(true)).toBe('The value is 3.5 units.')
    splitter.push(' Dr.')
    expect(splitter.take(true)).toBeUndefined()
    splitter.push(' No')
    expect(splitter.take(true)).toBeUndefined() // "Dr." is never an end
    splitter.end()
    expect(splitter.take(true)).toBe('And Dr. No')
    expect(splitter.done).toBe(true)
  })
})

describe('text without sentence ends', () => {
  test('is cut at the length cap, after a comma or at a space, never inside a word', () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ')
    const pieces = split(words, 4, { maxChars: 100, maxSentences: 1 })
    expect(pieces.length).toBeGreaterThan(5)
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(100)
    expect(pieces.join(' ')).toBe(words)
    const clauses = split(`${'alpha beta gamma, '.repeat(12)}end`, 5, { maxChars: 80, maxSentences: 1 })
    for (const piece of clauses.slice(0, -1)) expect(piece.endsWith(',')).toBe(true)
  })

  test('a long URL is not cut inside; CJK without punctuation is cut at the cap', () => {
    const url = `https://example.com/${'a'.repeat(150)}`
    const around = split(`See ${url} and more text here`, 6, { maxChars: 60, maxSentences: 1 })
    expect(around.length).toBeGreaterThan(1)
    expect(around.some((piece) => piece.includes(url))).toBe(true)
    const han = '汉'.repeat(130)
    const pieces = split(han, 4, { maxChars: 50, maxSentences: 1 })
    expect(pieces.join('')).toBe(han)
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(50)
  })
})

describe('adaptive pieces', () => {
  const story = Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} is here.`).join(' ')

  test('the first piece is one sentence; then 2, 3, … up to 7 sentences', () => {
    const counts = split(story).map((piece) => piece.split('. ').length)
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 7, 5])
    expect(split(story).join(' ')).toBe(story)
  })

  test('options: first piece size and the most sentences per piece', () => {
    const counts = split(story, 3, { firstSentences: 2, maxSentences: 3 }).map((p) => p.split('. ').length)
    expect(counts.slice(0, 4)).toEqual([2, 3, 3, 3])
  })

  test('eager takes what is complete now, so a waiting listener is not kept waiting', () => {
    const splitter = createSentenceSplitter()
    splitter.push('One. Two. Three')
    expect(splitter.take()).toBe('One.')
    expect(splitter.take()).toBeUndefined() // the second piece wants 2 sentences; "Three" is not complete yet
    expect(splitter.sentences).toBe(1)
    expect(splitter.take(true)).toBe('Two.')
    splitter.push('. Four. Five.')
    expect(splitter.take()).toBeUndefined()
    splitter.end()
    expect(splitter.take()).toBe('Three. Four. Five.')
    expect(splitter.take()).toBeUndefined()
  })

  test('a piece stops growing at maxPieceChars', () => {
    const long = Array.from({ length: 20 }, () => `${'x'.repeat(90)}.`).join(' ')
    const pieces = split(long, 50, { maxPieceChars: 300 })
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(300)
    expect(pieces.join(' ')).toBe(long)
  })

  test('empty or unspeakable text gives no piece', () => {
    expect(split('')).toEqual([])
    expect(split(' \n\n ... !! ')).toEqual([])
  })
})
