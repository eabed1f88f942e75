// The device store, the speaker choice and the recorder's fallback in each real engine.
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { server } from 'vitest/browser'
import { expectReleased, sleep, spyOnMicrophone, type TrackSpy } from '../../../../test/browser/microphone'
import { createRecorder } from '../capture'
import { isVoiceError } from '../errors'
import { createStreamingPlayer } from '../playback'
import { createAudioDevices } from './devices'
import { applySinkId, sinkSupport } from './sink'

const engine = server.browser
const key = 'voicekit.devices.test'
let mic: TrackSpy
beforeEach(() => {
  localStorage.removeItem(key)
  mic = spyOnMicrophone()
})
afterEach(() => mic.restore())

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await sleep(20)
  expect(check()).toBe(true)
}

describe(`audio devices in ${engine}`, () => {
  test('lists microphones once subscribed; names after permission; the microphone released', async () => {
    const devices = createAudioDevices({ storageKey: key })
    expect(devices.getSnapshot().status).toBe('idle') // nothing read before anyone listens
    const off = devices.subscribe(() => {})
    await until(() => devices.getSnapshot().status === 'ready')
    await devices.requestLabels()
    const state = devices.getSnapshot()
    expect(state.microphones.length).toBeGreaterThan(0)
    expect(state.labels).toBe(true)
    expect(state.microphones.every((d) => d.label && d.deviceId)).toBe(true)
    expect(state.microphones.some((d) => d.deviceId === 'default')).toBe(false)
    expectReleased(mic)
    off()
  })

  test('the choice is remembered under the key; an unplugged choice falls back to the default, and returns with the device', async () => {
    const devices = createAudioDevices({ storageKey: key })
    const off = devices.subscribe(() => {})
    await devices.requestLabels()
    const [first] = devices.getSnapshot().microphones
    devices.selectMicrophone(first!.deviceId)
    expect(devices.getSnapshot().microphoneId).toBe(first!.deviceId)
    expect(JSON.parse(localStorage.getItem(key)!)).toEqual({ microphone: first!.deviceId, speaker: '' })
    // A new page (a new store) reads it back.
    const again = createAudioDevices({ storageKey: key })
    expect(again.getSnapshot().chosen.microphone).toBe(first!.deviceId)

    devices.selectMicrophone('unplugged-since')
    expect(devices.getSnapshot().chosen.microphone).toBe('unplugged-since')
    expect(devices.getSnapshot().microphoneId).toBe('')
    off()
  })

  test('devicechange re-reads the list while subscribed, and not after', async () => {
    const media = navigator.mediaDevices
    const original = media.enumerateDevices
    let reads = 0
    media.enumerateDevices = () => {
      reads++
      return original.call(media)
    }
    try {
      const devices = createAudioDevices({ storageKey: null })
      const off = devices.subscribe(() => {})
      await until(() => devices.getSnapshot().status === 'ready')
      const before = reads
      media.dispatchEvent(new Event('devicechange'))
      await until(() => reads === before + 1)
      off()
      media.dispatchEvent(new Event('devicechange'))
      await sleep(100)
      expect(reads).toBe(before + 1)
    } finally {
      media.enumerateDevices = original
    }
  })

  test('a chosen microphone that is gone: the next recording uses the default', async () => {
    const devices = createAudioDevices({ storageKey: key })
    const off = devices.subscribe(() => {})
    await devices.requestLabels()
    devices.selectMicrophone('a-microphone-that-was-unplugged')
    const recorder = createRecorder({ deviceId: devices.getSnapshot().microphoneId })
    await recorder.start()
    expect(recorder.getSnapshot().status).toBe('recording')
    await sleep(1200)
    const recording = await recorder.stop()
    expect(recording?.blob.size).toBeGreaterThan(0)
    expectReleased(mic, 2) // once for the names, once for the recording
    off()
  })

  test('choosing the speaker: setSinkId where the engine has it, a plain not_supported where not', async () => {
    const support = sinkSupport()
    // What each engine has (docs/voice-ux.md): Chromium both, Firefox the element only, WebKitGTK neither.
    const expected = { chromium: [true, true], firefox: [true, false], webkit: [false, false] }[engine as 'chromium']
    expect([support.element, support.context]).toEqual(expected)
    const devices = createAudioDevices({ storageKey: null })
    const off = devices.subscribe(() => {})
    await until(() => devices.getSnapshot().status === 'ready')
    expect(devices.getSnapshot().sink).toEqual(support)
    devices.selectSpeaker('some-speaker')
    // Where nothing can be routed, the speaker is always the default.
    if (!support.element && !support.context) expect(devices.getSnapshot().speakerId).toBe('')
    off()

    const audio = new Audio()
    const player = createStreamingPlayer()
    if (support.element) {
      await applySinkId(audio, '') // the default: always accepted
      const failure = await applySinkId(audio, 'no-such-speaker').catch((e) => e)
      expect(isVoiceError(failure) && failure.code).toBe('playback_failed')
    } else {
      await applySinkId(audio, '') // nothing to do, nothing thrown
      const failure = await applySinkId(audio, 'some-speaker').catch((e) => e)
      expect(isVoiceError(failure) && failure.code).toBe('not_supported')
      expect(failure.message).toBe('This browser always plays through the default speaker')
      player.unlock() // creates the element
      const refused = await player.setSinkId('some-speaker').catch((e) => e)
      expect(isVoiceError(refused) && refused.code).toBe('not_supported')
    }
    player.dispose()
  })
})
