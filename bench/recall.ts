// Ordered word recall, as the browser tests measure it (packages/core/src/test-support/dictation-fixture.ts,
// which imports vitest and so cannot be loaded here): the longest common subsequence of words ÷ the words expected.
export const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z']+/)
    .filter(Boolean)

export function orderedRecall(expected: string, text: string): number {
  const want = wordsOf(expected)
  const got = wordsOf(text)
  // One row of the LCS table at a time (Uint16: a 60 min soak is about 8,000 words).
  let row = new Uint16Array(got.length + 1)
  let next = new Uint16Array(got.length + 1)
  for (const word of want) {
    next[0] = 0
    for (let j = 1; j <= got.length; j++) {
      next[j] = word === got[j - 1] ? row[j - 1]! + 1 : Math.max(row[j]!, next[j - 1]!)
    }
    ;[row, next] = [next, row]
  }
  return want.length ? row[got.length]! / want.length : 1
}
