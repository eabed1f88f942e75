// What works here, in words: an absent alternative is no alarm, and a blocked microphone is not "Yes".

import { cleanup, render, waitFor } from '@testing-library/react'
import type { VoiceCapabilities } from '@voicekit/core'
import { afterEach, expect, test, vi } from 'vitest'
import { CapabilityReport } from './CapabilityReport'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const chromium: VoiceCapabilities = {
  secureContext: true,
  getUserMedia: true,
  mediaRecorder: true,
  recordingTypes: ['audio/webm;codecs=opus', 'audio/webm'],
  mediaSource: true,
  managedMediaSource: false,
  mediaSourceMpeg: true,
  audioElementMpeg: true,
  webAudio: true,
  playbackEngine: 'mse',
  audioWorklet: true,
  dictationMode: 'continuous',
}
const firefox: VoiceCapabilities = {
  ...chromium,
  recordingTypes: ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus'],
  mediaSourceMpeg: false,
  playbackEngine: 'webaudio',
}

const feature = (view: ReturnType<typeof render>, name: string) =>
  view.getByRole('heading', { level: 3, name: new RegExp(`^${name}`) }).closest('[data-verdict]')!

test('Chromium: both features work; no ManagedMediaSource alarm', () => {
  const view = render(<CapabilityReport capabilities={chromium} microphonePermission="prompt" />)
  expect(feature(view, 'Dictation').getAttribute('data-verdict')).toBe('ok')
  expect(feature(view, 'Reading aloud').getAttribute('data-verdict')).toBe('ok')
  expect(view.container.querySelector('[data-verdict="bad"]')).toBeNull()
  expect(view.getAllByText('Works')).toHaveLength(2)
  expect(view.getByText('Records WebM (Opus).')).toBeTruthy()
  // The fact is still there, among the technical details, as a fact.
  expect(view.getByText('ManagedMediaSource').nextElementSibling?.textContent).toBe('No')
})

test('Firefox: MediaSource cannot take MP3, yet reading aloud works (Web Audio) and says so', () => {
  const view = render(<CapabilityReport capabilities={firefox} microphonePermission="granted" />)
  expect(feature(view, 'Reading aloud').getAttribute('data-verdict')).toBe('ok')
  expect(view.getByText('Plays while the speech streams in (Web Audio).')).toBeTruthy()
  expect(view.container.querySelector('[data-verdict="bad"]')).toBeNull()
})

test('microphone permission denied (Permissions API): dictation is not available, and the report says why', async () => {
  const status = Object.assign(new EventTarget(), { state: 'denied' as PermissionState })
  vi.stubGlobal('navigator', { ...navigator, permissions: { query: vi.fn().mockResolvedValue(status) } })
  const view = render(<CapabilityReport capabilities={chromium} />)
  await waitFor(() => expect(view.getByTestId('microphone').textContent).toMatch(/Blocked for this site/))
  expect(feature(view, 'Dictation').getAttribute('data-verdict')).toBe('bad')
  expect(feature(view, 'Dictation').textContent).toContain('Not available')
  // Allowed later in the site settings: the report follows.
  status.state = 'granted'
  status.dispatchEvent(new Event('change'))
  await waitFor(() => expect(view.getByTestId('microphone').textContent).toMatch(/Allowed/))
  expect(feature(view, 'Dictation').getAttribute('data-verdict')).toBe('ok')
})

test('no secure context: the microphone needs https', () => {
  const view = render(<CapabilityReport capabilities={{ ...chromium, secureContext: false }} />)
  expect(view.getByTestId('microphone').textContent).toMatch(/Needs a secure page/)
  expect(feature(view, 'Dictation').getAttribute('data-verdict')).toBe('bad')
})

test('a browser that can do nothing: both features not available, in words', () => {
  const none: VoiceCapabilities = {
    secureContext: false,
    getUserMedia: false,
    mediaRecorder: false,
    recordingTypes: [],
    mediaSource: false,
    managedMediaSource: false,
    mediaSourceMpeg: false,
    audioElementMpeg: false,
    webAudio: false,
    playbackEngine: null,
    audioWorklet: false,
    dictationMode: null,
  }
  const view = render(<CapabilityReport capabilities={none} />)
  expect(view.getAllByText('Not available')).toHaveLength(2)
  expect(view.getByText('This browser cannot play MP3 speech.')).toBeTruthy()
})
