import { expect, test } from 'vitest'
import { WAV_BYTES_PER_SECOND } from './upload'
import { encodeWav } from './wav'

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))

test('header fields are byte-exact for 16 kHz mono 16-bit PCM', () => {
  const bytes = encodeWav(new Float32Array(3))
  expect(bytes.length).toBe(44 + 6)
  // biome-ignore format: one field per line
  expect([...bytes.subarray(0, 44)]).toEqual([
    0x52, 0x49, 0x46, 0x46, // RIFF
    42, 0, 0, 0, // 36 + data bytes
    0x57, 0x41, 0x56, 0x45, // WAVE
    0x66, 0x6d, 0x74, 0x20, // "fmt "
    16, 0, 0, 0, // fmt chunk size
    1, 0, // PCM
    1, 0, // mono
    0x80, 0x3e, 0, 0, // 16000 Hz
    0x00, 0x7d, 0, 0, // 32000 bytes per second
    2, 0, // block align
    16, 0, // bits per sample
    0x64, 0x61, 0x74, 0x61, // data
    6, 0, 0, 0, // data bytes
  ])
  expect(WAV_BYTES_PER_SECOND).toBe(32000)
})

test('samples are little-endian 16-bit, clipped, full scale both ways', () => {
  const bytes = encodeWav(new Float32Array([0, 1, -1, 0.5, 2, -2, Number.NaN]))
  const view = new DataView(bytes.buffer, 44)
  const samples = Array.from({ length: 7 }, (_, i) => view.getInt16(i * 2, true))
  expect(samples).toEqual([0, 32767, -32768, 16383, 32767, -32768, 0])
})

test('another rate is written into both rate fields; sizes follow the sample count', () => {
  const bytes = encodeWav(new Float32Array(48000), 48000)
  const view = new DataView(bytes.buffer)
  expect(ascii(bytes, 0, 4)).toBe('RIFF')
  expect(view.getUint32(4, true)).toBe(36 + 96000)
  expect(view.getUint32(24, true)).toBe(48000)
  expect(view.getUint32(28, true)).toBe(96000)
  expect(view.getUint32(40, true)).toBe(96000)
  expect(bytes.length).toBe(44 + 96000)
})
