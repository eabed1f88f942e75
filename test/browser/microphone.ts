import { expect } from 'vitest'

// Browser-test helpers for the microphone: keep every track getUserMedia hands out, so a test
// can check that each one was stopped.
export interface TrackSpy {
  tracks: MediaStreamTrack[]
  calls: number
  live(): MediaStreamTrack[]
  restore(): void
}

export function spyOnMicrophone(): TrackSpy {
  const devices = navigator.mediaDevices
  const original = devices.getUserMedia
  const spy: TrackSpy = {
    tracks: [],
    calls: 0,
    live: () => spy.tracks.filter((track) => track.readyState === 'live'),
    restore: () => {
      devices.getUserMedia = original
    },
  }
  devices.getUserMedia = async (constraints) => {
    spy.calls++
    const stream = await original.call(devices, constraints)
    spy.tracks.push(...stream.getTracks())
    return stream
  }
  return spy
}

/** Replaces getUserMedia with one that throws `error`, until restored. */
export function failMicrophone(error: unknown): () => void {
  const devices = navigator.mediaDevices
  const original = devices.getUserMedia
  devices.getUserMedia = async () => {
    throw error
  }
  return () => {
    devices.getUserMedia = original
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Content words of the fixture the fake microphones play: "please turn on the kitchen lights". */
export const FIXTURE_WORDS = ['please', 'turn', 'kitchen', 'lights']

/**
 * The words of the fixture recognised in `text`. The microphone loops the phrase and a
 * recording cuts it anywhere, so pocketsphinx may miss a word at a cut (WebKit's AAC gave
 * "please turn on the kitchen like"): a transcript of the fixture has "kitchen" and at
 * least three of the four words; a transcript of anything else (or of silence) has not.
 */
export function fixtureWordsIn(text: string | undefined): string[] {
  const words = (text ?? '').toLowerCase().split(/[^a-z]+/)
  return FIXTURE_WORDS.filter((word) => words.includes(word))
}

/** `text` is a transcript of the fixture phrase (see fixtureWordsIn). */
export function expectFixtureSpeech(text: string | undefined) {
  const found = fixtureWordsIn(text)
  expect(found, `transcript: ${text}`).toContain('kitchen')
  expect(found.length, `transcript: ${text}`).toBeGreaterThanOrEqual(3)
}

/** The microphone was opened exactly `opened` times and every track it gave is stopped. */
export function expectReleased(mic: TrackSpy, opened = 1) {
  expect(mic.calls).toBe(opened)
  expect(mic.tracks.length).toBeGreaterThan(0)
  expect(mic.tracks.map((track) => track.readyState)).toEqual(mic.tracks.map(() => 'ended'))
}
