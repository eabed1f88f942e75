// The AudioWorklet processor, as the source text of a module. It is turned into a same-origin
// Blob URL at run time (see `workletModuleUrl`): a string survives every consumer bundler
// untouched, where a separate file referenced with `new URL('./x.js', import.meta.url)` breaks
// in Vite's dependency pre-bundling and needs a loader rule elsewhere. Plain ES2017, no imports.

/** The name the processor registers under. */
export const PCM_PROCESSOR = 'voicekit-pcm'

/**
 * Mixes the input to mono and posts it to the main thread in blocks of `options.processorOptions.blockFrames`
 * frames (transferred, not copied). A `flush` message posts what is buffered and answers `flushed`.
 */
export const PCM_WORKLET_SOURCE = `
class VoicekitPcm extends AudioWorkletProcessor {
  constructor(options) {
    super()
    const frames = (options && options.processorOptions && options.processorOptions.blockFrames) || 4096
    this.size = frames
    this.block = new Float32Array(frames)
    this.filled = 0
    this.port.onmessage = (event) => {
      if (event.data === 'flush') {
        this.post()
        this.port.postMessage('flushed')
      }
    }
  }
  post() {
    if (!this.filled) return
    const out = this.block.slice(0, this.filled)
    this.port.postMessage(out, [out.buffer])
    this.filled = 0
  }
  process(inputs) {
    const input = inputs[0]
    if (!input || !input.length || !input[0]) return true
    const channels = input.length
    const length = input[0].length
    for (let i = 0; i < length; i++) {
      let sum = 0
      for (let c = 0; c < channels; c++) sum += input[c][i]
      this.block[this.filled++] = sum / channels
      if (this.filled === this.size) this.post()
    }
    return true
  }
}
registerProcessor('${PCM_PROCESSOR}', VoicekitPcm)
`
