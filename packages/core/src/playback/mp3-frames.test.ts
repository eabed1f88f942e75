import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { concat, createMp3Splitter, framesDuration, readFrame, tagLength } from './mp3-frames'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../fixtures/speech/${name}.mp3`, import.meta.url)))
const weather = fixture('weather') // 64 audio frames (ffprobe), an ID3v2 tag and an Info frame first
const kitchen = fixture('kitchen-lights') // 91 audio frames

/** Feeds `bytes` to a splitter in pieces of the given sizes (cycled), then ends it. */
function split(bytes: Uint8Array, sizes: number[]) {
  const splitter = createMp3Splitter()
  const frames: Uint8Array[] = []
  let k = 0
  for (let at = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!
    frames.push(...splitter.push(bytes.subarray(at, at + size)))
    at += size
  }
  const last = splitter.end()
  return { frames: [...frames, ...last.frames], truncated: last.truncated }
}

describe('readFrame', () => {
  test('reads an MPEG-1 Layer III header: 64 kb/s, 44.1 kHz, with and without padding', () => {
    expect(readFrame(new Uint8Array([0xff, 0xfb, 0x50, 0xc0]), 0)).toEqual({
      length: 208,
      samples: 1152,
      sampleRate: 44100,
      info: false,
    })
    expect(readFrame(new Uint8Array([0xff, 0xfb, 0x52, 0xc0]), 0)?.length).toBe(209)
    // 128 kb/s 48 kHz stereo: 144 * 128000 / 48000 = 384
    expect(readFrame(new Uint8Array([0xff, 0xfb, 0x94, 0x00]), 0)?.length).toBe(384)
  })

  test('reads MPEG-2 and MPEG-2.5 headers (576 samples a frame, halved and quartered rates)', () => {
    // MPEG-2, 64 kb/s, 22.05 kHz: 72 * 64000 / 22050 = 208
    expect(readFrame(new Uint8Array([0xff, 0xf3, 0x80, 0xc0]), 0)).toMatchObject({
      length: 208,
      samples: 576,
      sampleRate: 22050,
    })
    // MPEG-2.5, 8 kb/s, 8 kHz (index 2 of 32 kHz / 4): 72 * 8000 / 8000 = 72
    expect(readFrame(new Uint8Array([0xff, 0xe3, 0x18, 0xc0]), 0)).toMatchObject({ length: 72, sampleRate: 8000 })
  })

  test('rejects what is not a Layer III frame header', () => {
    const no = (...bytes: number[]) => expect(readFrame(new Uint8Array(bytes), 0)).toBeUndefined()
    no(0xff, 0xfd, 0x50, 0xc0) // layer II
    no(0xff, 0xeb, 0x50, 0xc0) // reserved version
    no(0xff, 0xfb, 0x00, 0xc0) // free bitrate
    no(0xff, 0xfb, 0xf0, 0xc0) // bad bitrate
    no(0xff, 0xfb, 0x5c, 0xc0) // reserved sample rate
    no(0xfe, 0xfb, 0x50, 0xc0) // no sync
    no(0xff, 0xfb, 0x50) // cut short
  })

  test('recognises the Info header frame of the fixture', () => {
    const id3 = tagLength(weather, 0)
    expect(id3).toBe(45)
    expect(readFrame(weather, id3)).toMatchObject({ info: true, length: 208 })
    expect(readFrame(weather, id3 + 208)?.info).toBe(false)
  })
})

describe('tagLength', () => {
  test('ID3v2 synchsafe size plus header (and footer), ID3v1 fixed 128, none', () => {
    const id3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0x01, 0x7f])
    expect(tagLength(id3, 0)).toBe(10 + 255)
    id3[5] = 0x10
    expect(tagLength(id3, 0)).toBe(20 + 255)
    expect(tagLength(new Uint8Array([0x49, 0x44, 0x33, 4]), 0)).toBe(Number.POSITIVE_INFINITY)
    expect(tagLength(new TextEncoder().encode('TAGtitle'), 0)).toBe(128)
    expect(tagLength(weather, 45)).toBe(0)
  })
})

describe('createMp3Splitter', () => {
  test('gives every audio frame of a file, without the tag and the Info frame', () => {
    const { frames, truncated } = split(weather, [weather.length])
    expect(frames).toHaveLength(64)
    expect(truncated).toBe(false)
    expect(frames.every((f) => readFrame(f, 0)?.length === f.length && !readFrame(f, 0)?.info)).toBe(true)
    expect(framesDuration(frames)).toBeCloseTo((64 * 1152) / 44100, 6)
    // The frames are the file minus its first 45 + 208 bytes.
    expect(concat(frames)).toEqual(weather.subarray(45 + 208))
  })

  test('the same frames whatever the chunking: 1 byte, 7 bytes, odd sizes', () => {
    const whole = concat(split(kitchen, [kitchen.length]).frames)
    for (const sizes of [[1], [7], [3, 500, 11, 4096], [208], [209]]) {
      const { frames, truncated } = split(kitchen, sizes)
      expect(frames).toHaveLength(91)
      expect(truncated).toBe(false)
      expect(concat(frames)).toEqual(whole)
    }
  })

  test('several files back to back come out as one run of audio frames', () => {
    const both = concat([weather, kitchen, weather])
    const { frames, truncated } = split(both, [1000, 13])
    expect(frames).toHaveLength(64 + 91 + 64)
    expect(truncated).toBe(false)
    expect(frames.some((f) => readFrame(f, 0)?.info)).toBe(false)
  })

  test('a stream cut inside a frame is truncated, and the whole frames before the cut still come out', () => {
    const cut = weather.subarray(0, 45 + 208 + 10 * 208 + 100)
    const { frames, truncated } = split(cut, [333])
    expect(truncated).toBe(true)
    expect(frames).toHaveLength(10)
  })

  test('a stream cut inside the ID3 tag, or empty, gives no frames', () => {
    expect(split(weather.subarray(0, 20), [5])).toEqual({ frames: [], truncated: true })
    expect(createMp3Splitter().end()).toEqual({ frames: [], truncated: false })
  })

  test('skips garbage between frames and resynchronises', () => {
    const garbage = new Uint8Array(300).map((_, i) => (i % 3 ? 0xff : 0xfb))
    const { frames } = split(concat([weather, garbage, kitchen]), [64])
    // The frame just before the garbage is not followed by a frame, so it is dropped with it.
    expect(frames).toHaveLength(63 + 91)
    expect(concat(frames.slice(63))).toEqual(kitchen.subarray(tagLength(kitchen, 0) + 208))
  })

  test('a body with no MP3 at all gives no frames', () => {
    const text = new TextEncoder().encode('{"code":"internal_error","message":"boom"}'.repeat(20))
    expect(split(text, [50]).frames).toHaveLength(0)
  })
})

describe('frames at the end of what has arrived', () => {
  test("a file's last frame comes out when its bytes end, not when the next file's bytes come", () => {
    const splitter = createMp3Splitter()
    const out = splitter.push(weather)
    // Every one of the 64 frames: the next sentence may be seconds away, and its audio must not wait.
    expect(out.length).toBe(64)
    expect(splitter.push(kitchen).length).toBe(91)
    expect(splitter.end()).toEqual({ frames: [], truncated: false })
  })

  test('a first frame not confirmed by a following one still waits (a stray 0xFF is no frame)', () => {
    const frames = split(weather, [1e9]).frames
    const splitter = createMp3Splitter()
    expect(splitter.push(frames[0]!)).toEqual([])
    expect(splitter.push(frames[1]!).length).toBe(2)
  })
})
