// WAV: read any PCM/float WAV into mono floats; write 16-bit mono WAV.

export interface MonoAudio {
  sampleRate: number
  /** Samples in [-1, 1]. */
  samples: Float32Array
}

/** True when the bytes start like a RIFF/WAVE file. */
export function looksLikeWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE'
}

/**
 * Decodes integer PCM (8/16/24/32-bit) and float (32/64-bit) WAV, mixing channels down to mono. Returns undefined
 * for anything else (compressed WAV, a broken header), which the caller hands to ffmpeg.
 */
export function decodeWav(bytes: Uint8Array): MonoAudio | undefined {
  if (!looksLikeWav(bytes)) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 12
  let format: { tag: number; channels: number; sampleRate: number; bits: number } | undefined
  while (pos + 8 <= bytes.length) {
    const id = ascii(bytes, pos, 4)
    const size = view.getUint32(pos + 4, true)
    const body = pos + 8
    if (id === 'fmt ' && size >= 16 && body + 16 <= bytes.length) {
      let tag = view.getUint16(body, true)
      if (tag === 0xfffe && size >= 40 && body + 26 <= bytes.length) tag = view.getUint16(body + 24, true)
      format = {
        tag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      }
    } else if (id === 'data') {
      if (!format) return undefined
      // A streamed WAV may say 0 or 0xFFFFFFFF here: take what is there.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size
      return decodeSamples(view, body, end, format)
    }
    pos = body + size + (size % 2)
  }
  return undefined
}

function decodeSamples(
  view: DataView,
  start: number,
  end: number,
  format: { tag: number; channels: number; sampleRate: number; bits: number },
): MonoAudio | undefined {
  const { tag, channels, sampleRate, bits } = format
  if (channels < 1 || sampleRate < 1000 || sampleRate > 384_000) return undefined
  const bytesPerSample = bits / 8
  let read: (offset: number) => number
  if (tag === 1 && bits === 16) read = (o) => view.getInt16(o, true) / 32768
  else if (tag === 1 && bits === 8) read = (o) => (view.getUint8(o) - 128) / 128
  else if (tag === 1 && bits === 24)
    read = (o) => ((view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) as number) / 8388608
  else if (tag === 1 && bits === 32) read = (o) => view.getInt32(o, true) / 2147483648
  else if (tag === 3 && bits === 32) read = (o) => view.getFloat32(o, true)
  else if (tag === 3 && bits === 64) read = (o) => view.getFloat64(o, true)
  else return undefined
  const frameBytes = bytesPerSample * channels
  const frames = Math.floor((end - start) / frameBytes)
  const samples = new Float32Array(frames)
  for (let i = 0; i < frames; i++) {
    let sum = 0
    const base = start + i * frameBytes
    for (let c = 0; c < channels; c++) sum += read(base + c * bytesPerSample)
    samples[i] = sum / channels
  }
  return { sampleRate, samples }
}

/**
 * The 44-byte header of a 16-bit mono PCM WAV. Without a length (a stream whose end is not known
 * yet) the RIFF and data sizes are 0xffffffff, which decoders read as "until the end".
 */
export function wavHeader(sampleRate: number, dataBytes?: number): Buffer {
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(dataBytes === undefined ? 0xffffffff : 36 + dataBytes, 4)
  header.write('WAVE', 8, 'ascii')
  header.write('fmt ', 12, 'ascii')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(sampleRate, 24)
  header.writeUInt32LE(sampleRate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'ascii')
  header.writeUInt32LE(dataBytes ?? 0xffffffff, 40)
  return header
}

/** A 16-bit mono PCM WAV file. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const out = Buffer.alloc(44 + pcm.length * 2)
  wavHeader(sampleRate, pcm.length * 2).copy(out, 0)
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, 44 + i * 2)
  return out
}

export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length)
  for (let i = 0; i < samples.length; i++) {
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)))
  }
  return out
}

export function int16ToFloat(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length)
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768
  return out
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length))
}
