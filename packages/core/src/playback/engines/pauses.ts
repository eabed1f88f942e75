// Pauses in speech, found in decoded audio as it is scheduled: where a gap can be added without being
// heard as a cut (the webaudio engine lengthens them to build a cushion against a stalling stream).
// Pure (no DOM), so it is unit-tested in Node.

/** Below this (−34 dBFS) a sample is quiet. */
export const QUIET = 0.02
/**
 * Seconds of quiet, after the speech has sounded, that make a pause: longer than the closure of a stop
 * consonant (the silence inside "t" or "k", up to about 80 ms), so only pauses between words and
 * phrases are lengthened, never the inside of a word.
 */
export const PAUSE = 0.1

/**
 * Returns a finder fed the audio of one utterance, buffer after buffer, in order: `channels` (samples in
 * [-1, 1] at `rate` Hz) from sample `from` on. It answers the first sample index in this buffer where the audio has
 * been quiet for `PAUSE` seconds after having sounded (the quiet may have begun in the buffers before),
 * or undefined. Quiet before the first sound (a leading silence) is never a pause.
 */
export function createPauseFinder() {
  let sounded = false
  let quiet = 0 // seconds of quiet at the end of the audio seen so far, after a sound
  return (channels: Float32Array[], from: number, rate: number): number | undefined => {
    const needed = Math.round(PAUSE * rate)
    const length = channels[0]?.length ?? 0
    let run = Math.round(quiet * rate)
    let cut: number | undefined
    for (let i = from; i < length; i++) {
      if (channels.some((data) => Math.abs(data[i]!) >= QUIET)) {
        sounded = true
        run = 0
      } else if (sounded && ++run === needed) cut ??= i + 1
    }
    quiet = run / rate
    return cut
  }
}
