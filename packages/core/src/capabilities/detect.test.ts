import { expect, test } from 'vitest'
import { detectCapabilities } from './detect'

test('on a server, nothing is available and nothing throws', () => {
  expect(detectCapabilities()).toEqual({
    secureContext: false,
    getUserMedia: false,
    mediaRecorder: false,
    recordingTypes: [],
    mediaSource: false,
    managedMediaSource: false,
    mediaSourceMpeg: false,
    audioElementMpeg: false,
    webAudio: false,
    audioWorklet: false,
    dictationMode: null,
    playbackEngine: null,
  })
})
