// The in-browser transcoder, one lazily loaded chunk: decode → 16 kHz mono → 16-bit WAV.
export { decodeToMono16k, TARGET_RATE } from './resample'
export { encodeWav } from './wav'
