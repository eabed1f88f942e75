// The real-time pieces that need no socket: streaming resampling, the energy VAD, audio in JSON, the session and
// query parsers, and fault arming.
import { describe, expect, it } from 'vitest'
import { decodeBase64, pcm16, ulaw } from '../src/realtime/audio.ts'
import { parseScribeQuery } from '../src/realtime/elevenlabs.ts'
import { RealtimeFaults, sendableCloseCode } from '../src/realtime/faults.ts'
import { applySessionUpdate, defaultInputConfig, type SessionConfig } from '../src/realtime/openai.ts'
import { EnergyVad } from '../src/realtime/vad.ts'
import { resample, StreamResampler } from '../src/resample.ts'

describe('StreamResampler', () => {
  it.each([
    [24_000, 16_000],
    [44_100, 16_000],
    [22_050, 16_000],
    [8000, 16_000],
    [16_000, 16_000],
  ])('%i → %i in uneven pieces equals the whole signal resampled at once', (from, to) => {
    const pcm = Int16Array.from({ length: 6000 }, (_, i) =>
      Math.round(9000 * Math.sin(i / 7) + 4000 * Math.sin(i / 2.3)),
    )
    const whole = resample(
      Float32Array.from(pcm, (x) => x / 32768),
      from,
      to,
    )
    const resampler = new StreamResampler(from, to)
    const pieces: number[] = []
    let seed = 7
    for (let at = 0; at < pcm.length; ) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      const size = 1 + (seed % 700)
      pieces.push(...resampler.push(pcm.subarray(at, at + size)))
      at += size
    }
    pieces.push(...resampler.flush())
    expect(pieces).toHaveLength(whole.length)
    const worst = Math.max(...pieces.map((x, i) => Math.abs(x - whole[i]! * 32768)))
    expect(worst).toBeLessThanOrEqual(1)
  })
})

describe('EnergyVad', () => {
  const run = (
    frames: boolean[],
    config = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, minSpeechMs: 50 },
  ) => {
    const vad = new EnergyVad(config)
    return frames.flatMap((speech, i) => {
      const step = vad.step(speech)
      return step ? [{ step, frame: i, onset: step === 'speech-started' ? i - vad.onsetFrames + 1 : undefined }] : []
    })
  }
  const frames = (...runs: [boolean, number][]) => runs.flatMap(([speech, n]) => Array<boolean>(n).fill(speech))

  it('starts after minSpeechMs of speech (at its first frame) and stops after silenceDurationMs of silence', () => {
    expect(run(frames([false, 20], [true, 30], [false, 60]))).toEqual([
      { step: 'speech-started', frame: 24, onset: 20 },
      { step: 'speech-stopped', frame: 99, onset: undefined },
    ])
  })

  it('ignores a click shorter than minSpeechMs, and pauses shorter than silenceDurationMs', () => {
    expect(run(frames([true, 3], [false, 10], [true, 10], [false, 30], [true, 10], [false, 50]))).toEqual([
      { step: 'speech-started', frame: 17, onset: 13 },
      { step: 'speech-stopped', frame: 112, onset: undefined },
    ])
  })
})

describe('audio in JSON', () => {
  it('takes strict base64 only', () => {
    expect(decodeBase64('AAEC')).toEqual(Buffer.from([0, 1, 2]))
    expect(decodeBase64('AAE')).toEqual(Buffer.from([0, 1]))
    expect(decodeBase64('')).toEqual(Buffer.alloc(0))
    expect(decodeBase64('AA E=')).toBeUndefined()
    expect(decodeBase64('A')).toBeUndefined()
    expect(decodeBase64('AA-_')).toBeUndefined()
  })

  it('reads PCM16 little-endian, refusing half a sample', () => {
    expect(Array.from(pcm16(Buffer.from([0x01, 0x00, 0xff, 0xff, 0x00, 0x80]))!)).toEqual([1, -1, -32768])
    expect(pcm16(Buffer.from([1, 2, 3]))).toBeUndefined()
  })

  it('decodes G.711 μ-law', () => {
    expect(Array.from(ulaw(Buffer.from([0xff, 0x7f, 0x00, 0x80, 0xef])))).toEqual([0, 0, -32124, 32124, 132])
  })
})

describe('OpenAI session.update', () => {
  const base: SessionConfig = { input: defaultInputConfig(), include: null }

  it('updates only the fields given; a partial turn_detection takes the defaults for the rest', () => {
    const next = applySessionUpdate(base, {
      type: 'transcription',
      audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 800 } } },
    })
    expect(next).toEqual({
      include: null,
      input: {
        ...defaultInputConfig(),
        turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 800 },
      },
    })
    expect(applySessionUpdate(base, { audio: { input: { turn_detection: null, transcription: null } } })).toMatchObject(
      {
        input: { turn_detection: null, transcription: null },
      },
    )
  })

  it('names the parameter it refuses, and changes nothing then', () => {
    expect(applySessionUpdate(base, { audio: { output: {} } })).toMatchObject({
      code: 'unknown_parameter',
      param: 'session.audio.output',
    })
    expect(
      applySessionUpdate(base, { audio: { input: { turn_detection: { type: 'server_vad', threshold: 2 } } } }),
    ).toMatchObject({
      param: 'session.audio.input.turn_detection.threshold',
    })
    expect(applySessionUpdate(base, { audio: { input: { format: { type: 'audio/pcmu' } } } })).toMatchObject({
      param: 'session.audio.input.format.type',
    })
    expect(applySessionUpdate(base, { audio: { input: { transcription: { model: 5 } } } })).toMatchObject({
      param: 'session.audio.input.transcription.model',
    })
    expect(base.input.turn_detection).toEqual({
      type: 'server_vad',
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 500,
    })
  })
})

describe('ElevenLabs query', () => {
  it('has the documented defaults', () => {
    expect(parseScribeQuery(new URLSearchParams('model_id=scribe_v2_realtime'))).toEqual({
      model_id: 'scribe_v2_realtime',
      audio_format: 'pcm_16000',
      sample_rate: 16000,
      commit_strategy: 'manual',
      vad_silence_threshold_secs: 1.5,
      vad_threshold: 0.4,
      min_speech_duration_ms: 100,
      min_silence_duration_ms: 100,
      language_code: null,
      include_timestamps: false,
    })
  })

  it('names the parameter it refuses', () => {
    const loc = (query: string) => {
      const parsed = parseScribeQuery(new URLSearchParams(`model_id=scribe_v2_realtime&${query}`))
      return 'loc' in parsed ? parsed.loc : undefined
    }
    expect(loc('audio_format=opus_48000')).toBe('audio_format')
    expect(loc('vad_threshold=0.95')).toBe('vad_threshold')
    expect(loc('vad_silence_threshold_secs=')).toBe('vad_silence_threshold_secs')
    expect(loc('min_speech_duration_ms=10')).toBe('min_speech_duration_ms')
    expect(loc('include_timestamps=1')).toBe('include_timestamps')
    expect(loc('commit_strategy=vad&vad_silence_threshold_secs=0.3')).toBeUndefined()
  })
})

describe('RealtimeFaults', () => {
  it('hands each armed fault to the next K sockets of its protocol, oldest first', () => {
    const faults = new RealtimeFaults()
    expect(faults.arm({ close: { code: 4000 }, provider: 'elevenlabs', sockets: 2 })).toEqual({ ok: true, armed: 1 })
    expect(faults.arm({ delay_final_ms: 100 })).toEqual({ ok: true, armed: 2 })
    expect(faults.take('openai')).toEqual({ afterFrames: 0, delayFinalMs: 100 })
    expect(faults.take('elevenlabs')).toEqual({ afterFrames: 0, close: { code: 4000, reason: '' } })
    expect(faults.take('elevenlabs')).toEqual({ afterFrames: 0, close: { code: 4000, reason: '' } })
    expect(faults.take('elevenlabs')).toBeUndefined()
    expect(faults.take('openai')).toBeUndefined()
  })

  it('knows which close codes a server may send', () => {
    expect([1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999].every(sendableCloseCode)).toBe(true)
    expect([999, 1004, 1005, 1006, 1015, 2000, 5000, 4000.5].some(sendableCloseCode)).toBe(false)
  })
})
