// Audio inside JSON: base64 of 16-bit little-endian mono PCM (both providers), or of G.711 μ-law (ElevenLabs ulaw_8000).

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The bytes of a strict base64 string (padding optional), or undefined when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text) || text.length % 4 === 1) return undefined
  return Buffer.from(text, 'base64')
}

/** 16-bit little-endian samples, or undefined for an odd byte count. */
export function pcm16(bytes: Buffer): Int16Array | undefined {
  if (bytes.length % 2 !== 0) return undefined
  const out = new Int16Array(bytes.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2)
  return out
}

/** G.711 μ-law bytes to 16-bit samples. */
export function ulaw(bytes: Buffer): Int16Array {
  const out = new Int16Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) {
    const u = ~bytes[i]! & 0xff
    const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84
    out[i] = u & 0x80 ? -magnitude : magnitude
  }
  return out
}
