// Compressed audio → 16 kHz mono samples, with the browser's own decoder.

export const TARGET_RATE = 16_000

/**
 * Decodes audio bytes and returns 16 kHz mono samples. decodeAudioData on a 16 kHz
 * OfflineAudioContext resamples to the context's rate (every engine does); channels
 * are averaged. Rejects when the browser cannot decode the bytes.
 */
export async function decodeToMono16k(bytes: ArrayBuffer): Promise<Float32Array> {
  const context = new OfflineAudioContext(1, 1, TARGET_RATE)
  let buffer = await context.decodeAudioData(bytes)
  if (buffer.sampleRate !== TARGET_RATE) {
    // An engine that kept the source rate: render through a 16 kHz mono graph instead.
    const render = new OfflineAudioContext(1, Math.ceil(buffer.duration * TARGET_RATE), TARGET_RATE)
    const source = render.createBufferSource()
    source.buffer = buffer
    source.connect(render.destination)
    source.start()
    buffer = await render.startRendering()
  }
  const channels = buffer.numberOfChannels
  const mono = new Float32Array(buffer.length)
  for (let c = 0; c < channels; c++) {
    const data = buffer.getChannelData(c)
    for (let i = 0; i < data.length; i++) mono[i]! += data[i]! / channels
  }
  return mono
}
