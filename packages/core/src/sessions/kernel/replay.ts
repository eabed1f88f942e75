/** Kept audio as a fresh stream, one part per pull: how a cached utterance or piece is played again. */
export function replay(parts: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]!)
      else controller.close()
    },
  })
}
