/**
 * MPEG audio Layer III frames, read from a byte stream cut anywhere: the one place
 * that knows the header layout. Pure (no DOM), so it is unit-tested in Node.
 * ID3v2/ID3v1 tags and Xing/Info/VBRI header frames are dropped, so several MP3
 * files back to back (Dify sends one per sentence) come out as one run of audio frames.
 */

export interface FrameHeader {
  /** Whole frame in bytes, header included. */
  length: number
  /** PCM samples per channel the frame decodes to (1152 or 576). */
  samples: number
  sampleRate: number
  /** A Xing/Info/VBRI header frame: metadata, no audio. */
  info: boolean
}

const KBPS = [
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
]
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n))

/** The Layer III frame header at `i`, or undefined when the bytes there are not one. */
export function readFrame(b: Uint8Array, i: number): FrameHeader | undefined {
  const b1 = b[i + 1]!
  const b2 = b[i + 2]!
  // 11 sync bits, a known version (not 01), layer bits 01 = Layer III.
  if (b[i] !== 0xff || (b1 & 0xe6) !== 0xe2 || (b1 & 0x18) === 0x08 || i + 4 > b.length) return
  const v1 = b1 & 8 ? 1 : 0 // MPEG-1, else MPEG-2 / 2.5
  const kbps = KBPS[v1]![b2 >> 4]
  const rate = (b2 >> 2) & 3
  if (!kbps || rate === 3) return
  const sampleRate = [44100, 48000, 32000][rate]! >> (v1 ? 0 : b1 & 0x10 ? 1 : 2)
  const samples = v1 ? 1152 : 576
  const mono = b[i + 3]! >> 6 === 3
  const side = i + 4 + (v1 ? (mono ? 17 : 32) : mono ? 9 : 17)
  return {
    length: (((samples * 125 * kbps) / sampleRate) | 0) + ((b2 >> 1) & 1),
    samples,
    sampleRate,
    info: /Xing|Info/.test(ascii(b, side, 4)) || ascii(b, i + 36, 4) === 'VBRI',
  }
}

/** Length of the ID3v2 or ID3v1 tag at `i` (Infinity while its size is not readable yet), 0 if none. */
export function tagLength(b: Uint8Array, i: number): number {
  const id = ascii(b, i, 3)
  if (id === 'TAG') return 128
  if (id !== 'ID3') return 0
  if (i + 10 > b.length) return Number.POSITIVE_INFINITY
  let size = 10 + (b[i + 5]! & 0x10 ? 10 : 0)
  for (let k = 6; k < 10; k++) size += (b[i + k]! & 0x7f) << (7 * (9 - k))
  return size
}

/** The parts copied into one new array. */
export function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export interface Mp3Splitter {
  /** Adds bytes; returns the audio frames now complete (each a whole frame, tags and header frames left out). */
  push(chunk: Uint8Array): Uint8Array[]
  /** The stream ended: returns the last frames; `truncated` when it stopped inside a frame or tag. */
  end(): { frames: Uint8Array[]; truncated: boolean }
}

/**
 * Splits an MP3 byte stream at frame boundaries. A frame is only taken once the bytes after
 * it start another frame or tag (or the stream ends), so stray 0xFF bytes never pass for
 * a frame; bytes that are neither frame nor tag are skipped until the stream resynchronises.
 */
export function createMp3Splitter(): Mp3Splitter {
  let buf: Uint8Array<ArrayBuffer> = new Uint8Array(0)
  let truncated = false
  /** `buf` starts where a frame or tag taken before ended: a frame found there is no stray 0xFF. */
  let synced = false
  const take = (final: boolean) => {
    const frames: Uint8Array[] = []
    let i = 0
    const known = (j: number) => !!tagLength(buf, j) || !!readFrame(buf, j)
    truncated = false
    while (buf.length - i >= 4) {
      const tag = tagLength(buf, i)
      const frame = tag ? undefined : readFrame(buf, i)
      const next = i + (tag || frame?.length || 1)
      if (tag || frame) {
        // A frame in sync that ends exactly where the bytes so far end is complete: taken now, not when
        // the next bytes come (a sentence's last frame must not wait for the next sentence).
        const whole = next === buf.length && synced
        if (next > buf.length || (!final && next + 4 > buf.length && !whole)) {
          truncated = final
          break
        }
        if (next + 4 <= buf.length && !known(next)) {
          i++
          synced = false
          continue
        }
        if (frame && !frame.info) frames.push(buf.subarray(i, next))
        synced = true
      } else synced = false
      i = next
    }
    buf = buf.subarray(i)
    return frames
  }
  return {
    push(chunk) {
      buf = concat([buf, chunk])
      return take(false)
    },
    end() {
      return { frames: take(true), truncated }
    },
  }
}

/** Seconds of audio in these frames. */
export function framesDuration(frames: Uint8Array[]): number {
  let seconds = 0
  for (const f of frames) {
    const h = readFrame(f, 0)
    if (h) seconds += h.samples / h.sampleRate
  }
  return seconds
}
