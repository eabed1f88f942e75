// detectCapabilities() against what docs/browsers.md records for each engine.
import { describe, expect, test } from 'vitest'
import { server } from 'vitest/browser'
import { detectCapabilities } from './detect'

const caps = detectCapabilities()

describe(`detectCapabilities in ${server.browser}`, () => {
  test('reports capture support', () => {
    expect(caps.secureContext).toBe(true)
    expect(caps.getUserMedia).toBe(true)
    expect(caps.mediaRecorder).toBe(true)
    expect(caps.webAudio).toBe(true)
    expect(caps.recordingTypes.length).toBeGreaterThan(0)
  })

  test('lists the recording types this engine really writes', () => {
    const types = caps.recordingTypes
    if (server.browser === 'chromium') {
      expect(types).toContain('audio/webm;codecs=opus')
      expect(types).not.toContain('audio/ogg;codecs=opus')
    }
    if (server.browser === 'firefox') {
      expect(types).toContain('audio/ogg;codecs=opus')
      expect(types).toContain('audio/webm;codecs=opus')
      expect(types).not.toContain('audio/mp4')
    }
    if (server.browser === 'webkit') {
      expect(types).toContain('audio/mp4')
      expect(types).not.toContain('audio/ogg;codecs=opus')
    }
    // Every reported type is one MediaRecorder accepts as a constructor option.
    for (const type of types) expect(() => new MediaRecorder(new MediaStream(), { mimeType: type })).not.toThrow()
  })

  test('reports MediaSource for MP3 and picks the streaming engine', () => {
    expect(caps.mediaSource).toBe(true)
    // Firefox has MediaSource but not for audio/mpeg; everywhere, Web Audio plays MP3 streams first.
    expect(caps.mediaSourceMpeg).toBe(server.browser !== 'firefox')
    expect(caps.playbackEngine).toBe('webaudio')
    if (server.browser === 'webkit') expect(caps.managedMediaSource).toBe(true)
    if (server.browser === 'chromium') expect(caps.managedMediaSource).toBe(false)
  })

  test('dictates continuously (AudioWorklet) in every engine here', () => {
    expect(caps.audioWorklet).toBe(true)
    expect(caps.dictationMode).toBe('continuous')
  })

  test('can play a whole MP3 in an audio element', () => {
    expect(caps.audioElementMpeg).toBe(true)
  })
})
