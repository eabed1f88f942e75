// PCM → MP3 through mediabunny and its LAME (WASM) encoder.
//
// Format: 48 kHz mono MPEG-1 Layer III at 64 kbit/s. Flite speaks at 16 kHz, which LAME would write as MPEG-2 (LSF);
// most decoders take that, but MPEG-1 at 44.1/48 kHz is the one every MediaSource 'audio/mpeg' parser and every
// <audio> element accepts, so the speech is resampled 3× (an exact ratio) before encoding. It costs little: the
// speech stays band-limited to 8 kHz, and encoding still runs many times faster than real time.
import { registerMp3Encoder } from '@mediabunny/mp3-encoder'
import { AudioSample, AudioSampleSource, BufferTarget, Mp3OutputFormat, Output } from 'mediabunny'
import { resample } from './resample.ts'

export const MP3_SAMPLE_RATE = 48_000
export const MP3_BITRATE = 64_000

let registered = false

export interface Mp3Options {
  /**
   * Start the file with a Xing/Info frame (frame count, encoder delay): a complete, self-describing MP3 file. Leave it
   * out to get bare frames that concatenate into one longer stream.
   */
  xingHeader: boolean
}

/** Encodes mono samples in [-1, 1] at `sampleRate` to one MP3 file (or bare frames). */
export async function encodeMp3(samples: Float32Array, sampleRate: number, options: Mp3Options): Promise<Uint8Array> {
  if (!registered) {
    registerMp3Encoder()
    registered = true
  }
  const data = resample(samples, sampleRate, MP3_SAMPLE_RATE)
  const target = new BufferTarget()
  const output = new Output({ format: new Mp3OutputFormat({ xingHeader: options.xingHeader }), target })
  const source = new AudioSampleSource({ codec: 'mp3', bitrate: MP3_BITRATE })
  output.addAudioTrack(source)
  const sample = new AudioSample({
    data,
    format: 'f32',
    numberOfChannels: 1,
    sampleRate: MP3_SAMPLE_RATE,
    timestamp: 0,
  })
  try {
    await output.start()
    await source.add(sample)
    await output.finalize()
  } catch (error) {
    await output.cancel().catch(() => {})
    throw error
  } finally {
    sample.close()
  }
  if (!target.buffer) throw new Error('the MP3 encoder produced no output')
  return new Uint8Array(target.buffer)
}
