// Browser-test helpers: the long dictation fixture as samples, a microphone that plays it, word recall.
import { inject } from 'vitest'

export interface LongFixture {
  samples: Float32Array
  sentences: { text: string; start: number; end: number }[]
  words: string[]
}

export async function longFixture(): Promise<LongFixture> {
  const base = `${inject('fixturesUrl')}/speech/long-dictation`
  const [wav, json] = await Promise.all([
    fetch(`${base}.wav`).then((r) => r.arrayBuffer()),
    fetch(`${base}.json`).then((r) => r.json() as Promise<{ sentences: LongFixture['sentences'] }>),
  ])
  const pcm = new Int16Array(wav.slice(44))
  const samples = Float32Array.from(pcm, (x) => x / 32768)
  return { samples, sentences: json.sentences, words: json.sentences.flatMap((s) => s.text.split(' ')) }
}

/** The first `count` sentences of the fixture and the pause after the last. */
export function firstSentences(fixture: LongFixture, count: number) {
  const next = fixture.sentences[count]
  const end = next ? next.start : fixture.samples.length / 16_000
  return {
    samples: fixture.samples.slice(0, Math.round(end * 16_000)),
    words: fixture.sentences.slice(0, count).flatMap((s) => s.text.split(' ')),
  }
}

export const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z']+/)
    .filter(Boolean)

/** Recall of `expected` in `text`, in order: the longest common subsequence of words ÷ the expected words. */
export function orderedRecall(expected: string[], text: string): number {
  const got = wordsOf(text)
  let row = new Array<number>(got.length + 1).fill(0)
  for (const word of expected) {
    const next = new Array<number>(got.length + 1).fill(0)
    for (let j = 1; j <= got.length; j++) {
      next[j] = word === got[j - 1] ? row[j - 1]! + 1 : Math.max(row[j]!, next[j - 1]!)
    }
    row = next
  }
  return expected.length ? row[got.length]! / expected.length : 1
}

/**
 * Makes the next getUserMedia calls give a track that plays `samples` once (then silence): the
 * engine's own device is still opened (permission and device errors stay real) and stopped with it.
 */
export function microphonePlaying(samples: Float32Array): () => void {
  const devices = navigator.mediaDevices
  const original = devices.getUserMedia
  devices.getUserMedia = async (constraints) => {
    const stream = await original.call(devices, constraints)
    const device = stream.getAudioTracks()[0]
    if (!device) return stream
    const context = new AudioContext()
    const buffer = context.createBuffer(1, samples.length, 16_000)
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0)
    const source = context.createBufferSource()
    source.buffer = buffer
    const destination = context.createMediaStreamDestination()
    source.connect(destination)
    source.start()
    await context.resume()
    const track = destination.stream.getAudioTracks()[0]!
    const stopTrack = track.stop.bind(track)
    track.stop = () => {
      stopTrack()
      device.stop()
      void context.close()
    }
    stream.removeTrack(device)
    stream.addTrack(track)
    return stream
  }
  return () => {
    devices.getUserMedia = original
  }
}

/** Every AudioContext created from now on, to check that each was closed. */
export function spyOnAudioContexts(): { contexts: AudioContext[]; restore(): void } {
  const Original = window.AudioContext
  const contexts: AudioContext[] = []
  class Spied extends Original {
    constructor(options?: AudioContextOptions) {
      super(options)
      contexts.push(this)
    }
  }
  window.AudioContext = Spied
  return {
    contexts,
    restore: () => {
      window.AudioContext = Original
    },
  }
}
