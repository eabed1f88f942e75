// The WAV encoder: mono samples → 16-bit PCM RIFF/WAVE. Pure functions.

const HEADER_BYTES = 44

/** Writes the 44-byte header of a mono 16-bit PCM WAV holding `dataBytes` of samples into `bytes`. */
function writeHeader(bytes: Uint8Array, dataBytes: number, sampleRate: number) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i)
  }
  ascii(0, 'RIFF')
  view.setUint32(4, 36 + dataBytes, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  view.setUint32(16, 16, true) // fmt chunk size
  view.setUint16(20, 1, true) // PCM
  view.setUint16(22, 1, true) // mono
  view.setUint32(24, sampleRate, true)
  view.setUint32(28, sampleRate * 2, true) // byte rate
  view.setUint16(32, 2, true) // block align
  view.setUint16(34, 16, true) // bits per sample
  ascii(36, 'data')
  view.setUint32(40, dataBytes, true)
}

/** Encodes mono samples (−1…1, clipped) as a 16-bit little-endian PCM WAV file with a 44-byte header. */
export function encodeWav(samples: Float32Array, sampleRate = 16_000): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(HEADER_BYTES + samples.length * 2)
  writeHeader(bytes, samples.length * 2, sampleRate)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] || 0))
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true)
  }
  return bytes
}

/**
 * A WAV file of 16-bit PCM chunks as they are, without joining or converting them: the Blob holds the
 * header and the chunks themselves, so a long recording is never copied whole at the moment it ends.
 * Int16Array is in the platform's byte order: little-endian, as WAV wants, on every browser's platform.
 */
export function pcm16Wav(chunks: readonly Int16Array<ArrayBuffer>[], sampleRate = 16_000): Blob {
  const dataBytes = chunks.reduce((n, chunk) => n + chunk.byteLength, 0)
  const header = new Uint8Array(HEADER_BYTES)
  writeHeader(header, dataBytes, sampleRate)
  return new Blob([header, ...chunks], { type: 'audio/wav' })
}
