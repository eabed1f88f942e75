// The pure pieces: multipart parsing, the fault grammar, sentences, WAV, resampling, pocketsphinx output, WER.
import { describe, expect, it } from 'vitest'
import { parseWordTimes } from '../src/engines/stt.ts'
import { garbageBody, parseFaults } from '../src/faults.ts'
import { parseMultipart } from '../src/multipart.ts'
import { resample } from '../src/resample.ts'
import { splitSentences, toSpeakable } from '../src/sentences.ts'
import { decodeWav, encodeWav, floatToInt16 } from '../src/wav.ts'
import { wordErrorRate } from './helpers.ts'

async function encodeForm(form: FormData) {
  const request = new Request('http://x/', { method: 'POST', body: form })
  const boundary = /boundary=(.+)$/.exec(request.headers.get('content-type')!)![1]!
  return { body: Buffer.from(await request.arrayBuffer()), boundary }
}

describe('parseMultipart', () => {
  it('reads fields, files, names with quotes and repeated fields', async () => {
    const form = new FormData()
    form.append('model', 'whisper-1')
    form.append('timestamp_granularities[]', 'word')
    form.append('timestamp_granularities[]', 'segment')
    form.append(
      'file',
      new Blob([new Uint8Array([1, 2, 13, 10, 45, 45, 3])], { type: 'audio/webm;codecs=opus' }),
      'a "b".webm',
    )
    const { body, boundary } = await encodeForm(form)
    const parsed = parseMultipart(body, boundary)
    expect(parsed.complete).toBe(true)
    expect(parsed.field('model')).toBe('whisper-1')
    expect(parsed.fields('timestamp_granularities[]')).toEqual(['word', 'segment'])
    const file = parsed.file('file')!
    expect(file.filename).toBe('a %22b%22.webm')
    expect(file.contentType).toBe('audio/webm;codecs=opus')
    expect([...file.data]).toEqual([1, 2, 13, 10, 45, 45, 3])
    expect(file.complete).toBe(true)
  })

  it('still sees the part headers of a body cut short inside the file', async () => {
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(10_000)], { type: 'audio/webm' }), 'big.webm')
    const { body, boundary } = await encodeForm(form)
    const parsed = parseMultipart(body.subarray(0, 2_000), boundary)
    expect(parsed.complete).toBe(false)
    const file = parsed.file('file')!
    expect(file.contentType).toBe('audio/webm')
    expect(file.complete).toBe(false)
    expect(file.data.length).toBeLessThan(2_000)
  })

  it('finds nothing in a body with another boundary', () => {
    expect(parseMultipart(Buffer.from('--other\r\n\r\nx\r\n--other--'), 'mine').parts).toEqual([])
  })
})

describe('parseFaults', () => {
  it('parses the grammar, with ; or , between items', () => {
    expect(parseFaults('status=503; delay=200,rate=4000 ; drop-after=0;stall;garbage')).toEqual({
      ok: true,
      faults: { status: 503, delay: 200, rate: 4000, dropAfter: 0, stall: true, garbage: true },
    })
    expect(parseFaults('empty, null')).toEqual({ ok: true, faults: { empty: true, null: true } })
    expect(parseFaults(undefined)).toEqual({ ok: true, faults: {} })
  })

  it.each(['status=200', 'status=abc', 'delay=-1', 'rate=0', 'explode', 'stall=1', 'drop-after=', 'empty=0', 'null=1'])(
    'rejects %j',
    (value) => {
      expect(parseFaults(value).ok).toBe(false)
    },
  )

  it('makes garbage without JSON start, frame sync or container tags', () => {
    const body = garbageBody()
    expect(body[0]).toBe(0)
    expect(body.includes(0xff)).toBe(false)
    expect(body.includes(Buffer.from('ID3'))).toBe(false)
  })
})

describe('sentences', () => {
  it('splits after sentence ends and at line breaks, dropping pieces with nothing to say', () => {
    expect(
      splitSentences('The first sentence is short. Here comes "the second one!" And the third?\nFourth … .'),
    ).toEqual(['The first sentence is short.', 'Here comes "the second one!"', 'And the third?', 'Fourth …'])
    expect(splitSentences('3.14 is pi. Dr. Who')).toEqual(['3.14 is pi.', 'Dr.', 'Who'])
    expect(splitSentences(' ... ')).toEqual([])
  })

  it('makes text Flite can read', () => {
    expect(toSpeakable('Café “crème” — naïve\tnow')).toBe('Cafe "creme" , naive now')
  })
})

describe('WAV and resampling', () => {
  it('round-trips 16-bit mono and mixes stereo float down', () => {
    const pcm = new Int16Array([0, 1000, -1000, 32767, -32768])
    const decoded = decodeWav(encodeWav(pcm, 16_000))!
    expect(decoded.sampleRate).toBe(16_000)
    expect(floatToInt16(decoded.samples)).toEqual(new Int16Array([0, 1000, -1000, 32767, -32768]))

    const stereo = Buffer.alloc(44 + 16)
    stereo.write('RIFF', 0)
    stereo.write('WAVEfmt ', 8)
    stereo.writeUInt32LE(16, 16)
    stereo.writeUInt16LE(3, 20)
    stereo.writeUInt16LE(2, 22)
    stereo.writeUInt32LE(48_000, 24)
    stereo.writeUInt16LE(32, 34)
    stereo.write('data', 36)
    stereo.writeUInt32LE(0xffffffff, 40) // streamed: size unknown
    ;[0.5, 0.25, -1, 0].forEach((v, i) => {
      stereo.writeFloatLE(v, 44 + i * 4)
    })
    expect([...decodeWav(stereo)!.samples]).toEqual([0.375, -0.5])
    expect(decodeWav(Buffer.from('not a wav file at all'))).toBeUndefined()
  })

  it('resamples a tone without moving its pitch', () => {
    const tone = (rate: number, seconds: number) =>
      Float32Array.from({ length: rate * seconds }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / rate))
    const crossings = (x: Float32Array) => x.reduce((n, v, i) => n + (i > 0 && x[i - 1]! < 0 && v >= 0 ? 1 : 0), 0)
    for (const [from, to] of [
      [16_000, 48_000],
      [48_000, 16_000],
      [44_100, 16_000],
      [16_000, 24_000],
    ] as const) {
      const out = resample(tone(from, 1), from, to)
      expect(out.length).toBe(to)
      expect(Math.abs(crossings(out) - 440)).toBeLessThanOrEqual(1)
      const middle = out.subarray(to / 4, (3 * to) / 4)
      expect(Math.max(...middle)).toBeGreaterThan(0.9)
      expect(Math.max(...middle)).toBeLessThan(1.1)
    }
  })
})

describe('parseWordTimes', () => {
  it('keeps words with times, drops markers and fillers, strips alternates, splits segments at pauses', () => {
    const output = [
      'please turn on the',
      '<s> 0.000 0.110 1.000400',
      'please 0.120 0.430 0.997603',
      '[NOISE] 0.430 0.500 0.5',
      'turn 0.440 0.880 0.994614',
      '<sil> 0.890 1.200 0.9',
      'on(2) 1.210 1.350 0.626595',
      'the 1.360 1.450 1.000000',
      '</s> 1.460 1.500 1.000000',
      'lights',
      '<s> 5.000 5.100 1.000000',
      'lights 5.100 5.600 0.956566',
      '</s> 5.600 5.700 1.000000',
    ].join('\n')
    const parsed = parseWordTimes(output)
    expect(parsed.text).toBe('please turn on the lights')
    expect(parsed.words[2]).toEqual({ word: 'on', start: 1.21, end: 1.35, confidence: 0.627 })
    expect(parsed.segments.map((s) => [s.text, s.start, s.end])).toEqual([
      ['please turn', 0.12, 0.88],
      ['on the', 1.21, 1.45],
      ['lights', 5.1, 5.6],
    ])
  })
})

describe('wordErrorRate', () => {
  it('counts substitutions, insertions and deletions against the reference length', () => {
    expect(wordErrorRate('please turn on the kitchen lights', 'please turn on the kitchen lights')).toBe(0)
    expect(wordErrorRate('please turn on the kitchen lights', 'please turn the kitchen light')).toBeCloseTo(2 / 6)
    expect(wordErrorRate('a b c', 'x a b c y')).toBeCloseTo(2 / 3)
    expect(wordErrorRate('a b c', '')).toBe(1)
  })
})
