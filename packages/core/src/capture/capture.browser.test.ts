// createRecorder and toUploadable in a real engine with its fake microphone, and the
// recordings through @voicekit/proxy to the local speech server (pocketsphinx).
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import {
  expectFixtureSpeech,
  expectReleased,
  failMicrophone,
  sleep,
  spyOnMicrophone,
  type TrackSpy,
} from '../../../../test/browser/microphone'
import { createDifyTransport } from '../providers'
import type { TransportInput } from '../transport'
import { createRecorder } from './recorder'
import type { RecorderStatus, Recording } from './types'
import { toUploadable } from './upload'

const engine = server.browser
const dify = () => createDifyTransport({ baseUrl: `${inject('voiceBaseUrl')}/dify`, timeoutMs: 60_000 })
const wavOnly: TransportInput = { mimeTypes: ['audio/wav'], maxBytes: 30 * 1024 * 1024 }
/** What each engine's MediaRecorder writes natively (docs/providers.md, docs/browsers.md). */
const nativeType = {
  chromium: /^audio\/webm;\s*codecs=opus/,
  firefox: /^audio\/(webm|ogg);\s*codecs=opus/,
  webkit: /^audio\/mp4/,
}[engine as 'chromium' | 'firefox' | 'webkit']

let mic: TrackSpy
beforeEach(() => {
  mic = spyOnMicrophone()
})
afterEach(() => {
  mic.restore()
})

async function record(ms: number, options: Parameters<typeof createRecorder>[0] = {}): Promise<Recording> {
  const recorder = createRecorder({ input: dify().input, ...options })
  await recorder.start()
  await sleep(ms)
  const recording = await recorder.stop()
  if (!recording) throw new Error('no recording')
  return recording
}

describe(`recorder in ${engine}`, () => {
  test('idle → requesting → recording → stopping → stopped, the native type read from the chunks, mic released', async () => {
    const recorder = createRecorder({ input: dify().input })
    const statuses: RecorderStatus[] = [recorder.getSnapshot().status]
    const durations: number[] = []
    recorder.subscribe(() => {
      const { status, durationMs } = recorder.getSnapshot()
      if (status !== statuses.at(-1)) statuses.push(status)
      else durations.push(durationMs)
    })
    await recorder.start()
    expect(mic.live()).toHaveLength(1)
    await sleep(2600)
    const recording = await recorder.stop()
    expect(statuses).toEqual(['idle', 'requesting', 'recording', 'stopping', 'done'])
    // The timer ticks about once a second, never per frame.
    expect(durations.length).toBeGreaterThanOrEqual(1)
    expect(durations.length).toBeLessThanOrEqual(3)
    expect(recording).not.toBeNull()
    expect(recording).toBe(recorder.getSnapshot().recording)
    expect(recording!.mimeType).toMatch(nativeType)
    expect(recording!.blob.type).toBe(recording!.mimeType)
    expect(recording!.blob.size).toBeGreaterThan(5000)
    expect(recording!.durationMs).toBeGreaterThanOrEqual(2500)
    expect(recording!.endedBy).toBe('stop')
    expectReleased(mic)
  })

  test('the level source is fed per frame from the speech, outside the store, and drops to 0 after stop', async () => {
    const recorder = createRecorder()
    let storeUpdates = 0
    recorder.subscribe(() => storeUpdates++)
    const levels: number[] = []
    recorder.level.subscribe((level) => levels.push(level))
    await recorder.start()
    await sleep(2000)
    const during = recorder.level.get()
    await recorder.stop()
    expect(levels.length).toBeGreaterThan(20)
    expect(Math.max(...levels)).toBeGreaterThan(0.2)
    expect(during).toBeGreaterThanOrEqual(0)
    expect(new Set(levels.map((level) => level.toFixed(3))).size).toBeGreaterThan(5)
    expect(storeUpdates).toBeLessThanOrEqual(6) // requesting, recording, ~2 ticks, stopping, stopped
    expect(recorder.level.get()).toBe(0)
    expect(levels.at(-1)).toBe(0)
    expectReleased(mic)
  })

  test('pause excludes time from durationMs; resume records on', async () => {
    const recorder = createRecorder()
    await recorder.start()
    const began = performance.now()
    await sleep(1000)
    recorder.pause()
    expect(recorder.getSnapshot().status).toBe('paused')
    const pausedAt = performance.now()
    await sleep(1500)
    const pausedFor = performance.now() - pausedAt
    recorder.resume()
    expect(recorder.getSnapshot().status).toBe('recording')
    await sleep(1000)
    const recording = await recorder.stop()
    const wall = performance.now() - began
    expect(recording!.durationMs).toBeLessThanOrEqual(wall - pausedFor + 100)
    expect(recording!.durationMs).toBeGreaterThanOrEqual(1900)
    expect(recording!.blob.size).toBeGreaterThan(1000)
    expectReleased(mic)
  })

  test('cancel while recording discards everything and releases the microphone', async () => {
    const recorder = createRecorder()
    await recorder.start()
    await sleep(500)
    recorder.cancel()
    expect(recorder.getSnapshot()).toEqual({ status: 'idle', durationMs: 0, error: null, recording: null })
    expectReleased(mic)
    expect(await recorder.stop()).toBeNull()
  })

  test('cancel while the browser is still opening the microphone releases it once it opens', async () => {
    const recorder = createRecorder()
    const starting = recorder.start()
    expect(recorder.getSnapshot().status).toBe('requesting')
    recorder.cancel()
    await starting
    expect(recorder.getSnapshot().status).toBe('idle')
    expectReleased(mic)
  })

  test('a start cancelled while asking, then a new start: the late microphone is closed, the new one keeps its level', async () => {
    const recorder = createRecorder()
    const first = recorder.start()
    recorder.cancel()
    await recorder.start()
    await first
    await sleep(1000)
    const levels: number[] = []
    const unsubscribe = recorder.level.subscribe((level) => levels.push(level))
    await sleep(1000)
    unsubscribe()
    expect(recorder.getSnapshot().status).toBe('recording')
    expect(mic.live()).toHaveLength(1)
    expect(levels.length).toBeGreaterThan(10)
    expect(Math.max(...levels)).toBeGreaterThan(0.2)
    await recorder.stop()
    expectReleased(mic, 2)
  })

  test('stop while requesting resolves null, records nothing and releases', async () => {
    const recorder = createRecorder()
    const starting = recorder.start()
    expect(await recorder.stop()).toBeNull()
    await starting
    expect(recorder.getSnapshot()).toMatchObject({ status: 'idle', recording: null })
    expectReleased(mic)
  })

  test('dispose releases the microphone and refuses to start again', async () => {
    const recorder = createRecorder()
    await recorder.start()
    await sleep(300)
    recorder.dispose()
    expectReleased(mic)
    await expect(recorder.start()).rejects.toMatchObject({ code: 'not_supported' })
    expect(mic.calls).toBe(1)
  })

  test('an error after the microphone opened (MediaRecorder refuses the type) releases it', async () => {
    const recorder = createRecorder({ mimeType: 'audio/x-not-a-type' })
    const error = await recorder.start().catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'not_supported' })
    expect(recorder.getSnapshot()).toMatchObject({ status: 'error', error: { code: 'not_supported' } })
    expectReleased(mic)
  })

  test('a track that ends (device unplugged) ends the recording with what was captured', async () => {
    const recorder = createRecorder()
    await recorder.start()
    await sleep(1500)
    const [track] = mic.tracks
    track!.dispatchEvent(new Event('ended'))
    await expect.poll(() => recorder.getSnapshot().status, { timeout: 10_000 }).toBe('done')
    const { recording, error } = recorder.getSnapshot()
    expect(error).toBeNull()
    expect(recording!.endedBy).toBe('device-ended')
    expect(recording!.blob.size).toBeGreaterThan(1000)
    expectReleased(mic)
  })

  test('maxDurationMs stops the recording by itself', async () => {
    const recorder = createRecorder({ maxDurationMs: 1500 })
    await recorder.start()
    await expect.poll(() => recorder.getSnapshot().status, { timeout: 15_000 }).toBe('done')
    expect(recorder.getSnapshot().recording).toMatchObject({ endedBy: 'max-duration' })
    expect(recorder.getSnapshot().recording!.durationMs).toBeGreaterThanOrEqual(1400)
    expectReleased(mic)
  })

  test('maxBytes stops the recording by itself', async () => {
    const recorder = createRecorder({ maxBytes: 12_000, timeslice: 250 })
    await recorder.start()
    await expect.poll(() => recorder.getSnapshot().status, { timeout: 20_000 }).toBe('done')
    const { recording } = recorder.getSnapshot()
    expect(recording!.endedBy).toBe('max-bytes')
    expect(recording!.blob.size).toBeGreaterThan(0)
    expectReleased(mic)
  })
})

describe(`capture errors in ${engine}`, () => {
  test.each([
    ['NotAllowedError', 'permission_denied'],
    ['NotFoundError', 'no_microphone'],
    ['OverconstrainedError', 'no_microphone'],
    ['NotReadableError', 'microphone_busy'],
  ])('getUserMedia throwing %s → %s, in the rejection and the state', async (name, code) => {
    const restore = failMicrophone(new DOMException('denied by test', name))
    try {
      const recorder = createRecorder()
      const error = await recorder.start().catch((e: unknown) => e)
      expect(error).toMatchObject({ name: 'VoiceError', code })
      expect((error as Error).cause).toBeInstanceOf(DOMException)
      expect(recorder.getSnapshot()).toMatchObject({ status: 'error', error: { code } })
    } finally {
      restore()
    }
  })

  test('a deviceId that does not exist → no_microphone from the real engine', async () => {
    const recorder = createRecorder({ deviceId: 'no-such-microphone' })
    const error = await recorder.start().catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'no_microphone' })
    expect(mic.live()).toHaveLength(0)
  })

  test('no getUserMedia → not_supported', async () => {
    const devices = navigator.mediaDevices
    const original = devices.getUserMedia
    Object.defineProperty(devices, 'getUserMedia', { value: undefined, configurable: true, writable: true })
    try {
      const recorder = createRecorder()
      await expect(recorder.start()).rejects.toMatchObject({ code: 'not_supported' })
      expect(recorder.getSnapshot().status).toBe('error')
    } finally {
      Object.defineProperty(devices, 'getUserMedia', { value: original, configurable: true, writable: true })
    }
  })

  test('no MediaRecorder → not_supported, and the microphone is never opened', async () => {
    const g = globalThis as { MediaRecorder?: unknown }
    const original = g.MediaRecorder
    g.MediaRecorder = undefined
    try {
      const recorder = createRecorder()
      await expect(recorder.start()).rejects.toMatchObject({ code: 'not_supported' })
      expect(mic.calls).toBe(0)
    } finally {
      g.MediaRecorder = original
    }
  })
})

describe(`toUploadable in ${engine}, through the proxy to the local Dify route`, () => {
  test('fixture speech recorded natively becomes a transcript with the expected words', async () => {
    const transport = dify()
    const recording = await record(4000)
    const file = await toUploadable(recording, transport.input)
    // AAC (WebKit) goes as it is, labelled m4a; Opus (Chromium, Firefox) is transcoded to WAV.
    if (engine === 'webkit') {
      expect([file.type, file.name]).toEqual(['audio/m4a', 'recording.m4a'])
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array(await recording.blob.arrayBuffer()))
    } else {
      expect([file.type, file.name]).toEqual(['audio/wav', 'recording.wav'])
    }
    const transcript = await transport.transcribe!(file)
    expectFixtureSpeech(transcript.text)
  })

  test('the native recording transcoded to 16 kHz mono 16-bit WAV is accepted by Dify (200 with text)', async () => {
    const recording = await record(3000)
    const file = await toUploadable(recording, wavOnly)
    expect([file.type, file.name]).toEqual(['audio/wav', 'recording.wav'])
    const view = new DataView(await file.arrayBuffer())
    expect(view.getUint32(0, false)).toBe(0x52494646) // RIFF
    expect(view.getUint16(22, true)).toBe(1) // mono
    expect(view.getUint32(24, true)).toBe(16000)
    expect(view.getUint16(34, true)).toBe(16)
    const seconds = (file.size - 44) / 32000
    expect(seconds).toBeGreaterThan(1.5) // WebKit's reads about 1 s short (docs/browsers.md)
    expect(seconds).toBeLessThan(3.5)
    const transcript = await dify().transcribe!(file)
    expect(transcript.text.trim().length).toBeGreaterThan(0)
    expectFixtureSpeech(transcript.text)
  })

  test('the Dify transport takes a native recording as it is only where it is AAC (WebKit)', async () => {
    const recording = await record(1500)
    const error = await dify().transcribe!(recording.blob).then(
      () => null,
      (e: unknown) => e,
    )
    if (engine === 'webkit') expect(error).toBeNull()
    else expect(error).toMatchObject({ code: 'unsupported_audio_type' })
  })

  test('shorter than input.minSeconds → recording_too_short, before any request', async () => {
    const recording = await record(800)
    const input = { ...dify().input, minSeconds: 5 }
    const error = await toUploadable(recording, input).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'VoiceError', code: 'recording_too_short' })
  })

  test('empty → no_audio; over maxBytes after transcoding → audio_too_large', async () => {
    const empty = {
      blob: new Blob([], { type: 'audio/webm' }),
      mimeType: 'audio/webm',
      durationMs: 0,
      endedBy: 'stop',
    } as const
    await expect(toUploadable(empty, wavOnly)).rejects.toMatchObject({ code: 'no_audio' })
    const recording = await record(1500)
    await expect(toUploadable(recording, { mimeTypes: ['audio/wav'], maxBytes: 20_000 })).rejects.toMatchObject({
      code: 'audio_too_large',
    })
  })
})
