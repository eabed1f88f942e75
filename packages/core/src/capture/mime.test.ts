import { describe, expect, test } from 'vitest'
import { createDifyTransport, createLivepeerTransport, createOpenAITransport } from '../providers'
import { acceptedLabel, chooseRecordingType, extensionOf, isOpusInMp4, recordedType } from './mime'

const dify = createDifyTransport({ baseUrl: '/x' }).input
const openai = createOpenAITransport({ baseUrl: '/x' }).input
const livepeer = createLivepeerTransport({ baseUrl: '/x' }).input

// What each engine's MediaRecorder.isTypeSupported answers on this machine (measured).
const engines: Record<string, string[]> = {
  chromium: ['audio/mp4', 'audio/mp4;codecs=opus', 'audio/webm', 'audio/webm;codecs=opus'],
  firefox: ['audio/webm', 'audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/ogg'],
  webkit: ['audio/mp4', 'audio/mp4;codecs=mp4a.40.2', 'audio/mp4;codecs=opus'],
  // Safari 18.4+ also claims webm: AAC in MP4 is still preferred.
  safari: ['audio/mp4', 'audio/mp4;codecs=mp4a.40.2', 'audio/webm', 'audio/webm;codecs=opus'],
}
const supports = (engine: string) => (type: string) => engines[engine]!.includes(type)

describe('chooseRecordingType', () => {
  test.each([
    ['chromium', dify, 'audio/webm;codecs=opus'], // Dify takes no Opus: record the best, transcode to WAV
    ['firefox', dify, 'audio/webm;codecs=opus'],
    ['webkit', dify, 'audio/mp4;codecs=mp4a.40.2'], // AAC goes to Dify as m4a untouched
    ['safari', dify, 'audio/mp4;codecs=mp4a.40.2'],
    ['chromium', openai, 'audio/webm;codecs=opus'],
    ['firefox', openai, 'audio/webm;codecs=opus'],
    ['safari', openai, 'audio/mp4;codecs=mp4a.40.2'],
    ['chromium', livepeer, 'audio/webm;codecs=opus'],
    ['webkit', undefined, 'audio/mp4;codecs=mp4a.40.2'],
  ] as const)('%s for %o → %s', (engine, input, expected) => {
    expect(chooseRecordingType(input, supports(engine))).toBe(expected)
  })

  test('a type the transport accepts as is wins over the browser favourite', () => {
    const oggOnly = { mimeTypes: ['audio/ogg'], maxBytes: 1 }
    expect(chooseRecordingType(oggOnly, supports('firefox'))).toBe('audio/ogg;codecs=opus')
    expect(chooseRecordingType(oggOnly, supports('chromium'))).toBe('audio/webm;codecs=opus')
  })

  test('a bare audio/mp4 never counts as accepted m4a (Chromium writes Opus into it)', () => {
    const m4aOnly = { mimeTypes: ['audio/m4a'], maxBytes: 1 }
    expect(chooseRecordingType(m4aOnly, (type) => type === 'audio/mp4' || type === 'audio/webm')).toBe('audio/mp4')
    expect(chooseRecordingType(m4aOnly, (type) => type === 'audio/webm' || type === 'audio/mp4')).not.toBe(undefined)
    expect(
      chooseRecordingType(m4aOnly, (type) => ['audio/webm', 'audio/webm;codecs=opus', 'audio/mp4'].includes(type)),
    ).toBe('audio/webm;codecs=opus')
  })

  test('nothing supported (or isTypeSupported throwing) → undefined: MediaRecorder picks', () => {
    expect(chooseRecordingType(dify, () => false)).toBeUndefined()
    expect(
      chooseRecordingType(dify, () => {
        throw new Error('x')
      }),
    ).toBeUndefined()
  })
})

describe('labels', () => {
  test.each([
    ['audio/mp4; codecs=mp4a', dify, 'audio/m4a'],
    ['audio/mp4', openai, 'audio/mp4'],
    ['audio/x-m4a', dify, 'audio/m4a'],
    ['audio/wav', dify, 'audio/wav'],
    ['audio/wave', livepeer, 'audio/wav'],
    ['audio/webm;codecs=opus', dify, undefined],
    ['audio/webm;codecs=opus', openai, 'audio/webm'],
    ['audio/ogg; codecs=opus', openai, 'audio/ogg'],
    ['audio/ogg; codecs=opus', dify, undefined],
    ['', dify, undefined],
  ] as const)('%s for %o → %s', (type, input, expected) => {
    expect(acceptedLabel(type, input.mimeTypes)).toBe(expected)
  })

  test('extensions and Opus in MP4', () => {
    expect(extensionOf('audio/mp4; codecs=mp4a')).toBe('m4a')
    expect(extensionOf('AUDIO/WEBM;codecs=opus')).toBe('webm')
    expect(extensionOf('audio/x-wav')).toBe('wav')
    expect(extensionOf('audio/flac')).toBe('flac')
    expect(extensionOf('audio/x-unknown')).toBeUndefined()
    expect(isOpusInMp4('audio/mp4;codecs=opus')).toBe(true)
    expect(isOpusInMp4('audio/mp4; codecs=mp4a')).toBe(false)
    expect(isOpusInMp4('audio/webm;codecs=opus')).toBe(false)
  })
})

test('recordedType reads the first typed chunk, then the recorder, then the request', () => {
  const chunk = (type: string) => new Blob([new Uint8Array(1)], { type })
  expect(recordedType([chunk('audio/ogg; codecs=opus'), chunk('')], '', 'audio/webm')).toBe('audio/ogg; codecs=opus')
  expect(recordedType([chunk('')], 'audio/webm', undefined)).toBe('audio/webm')
  expect(recordedType([], '', 'audio/mp4')).toBe('audio/mp4')
  expect(recordedType([], '', undefined)).toBe('')
})
