// Story plumbing: each story gets a fresh fake transport (from `parameters.fake`) inside a
// VoiceProvider; play functions reach it as `context.loaded.transport`.
import { VoiceProvider } from '@voicekit/react'
import type { ReactElement } from 'react'
import { createFakeTransport, type FakeTransport, type FakeTransportOptions } from './fake-transport'

// Typed loosely so that they fit any component's meta.
export const fakeVoiceLoader = ({ parameters }: { parameters: { fake?: FakeTransportOptions } }) => ({
  transport: createFakeTransport(parameters.fake),
})

export const withFakeVoice = (Story: () => ReactElement, { loaded }: { loaded: Record<string, unknown> }) => (
  <VoiceProvider transport={loaded.transport as FakeTransport}>
    <Story />
  </VoiceProvider>
)

/** Spread into a stories file's meta. */
export const fakeVoice = { loaders: [fakeVoiceLoader], decorators: [withFakeVoice] }

export const transportOf = (loaded: Record<string, unknown>): FakeTransport => loaded.transport as FakeTransport

/** Replaces getUserMedia for one story (returns the restorer for `beforeEach`). */
export function replaceMicrophone(getUserMedia: MediaDevices['getUserMedia']): () => void {
  const devices = navigator.mediaDevices
  const original = devices.getUserMedia
  devices.getUserMedia = getUserMedia
  return () => {
    devices.getUserMedia = original
  }
}

export const denyMicrophone = () =>
  replaceMicrophone(() => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')))

/** The browser never answers the permission prompt. */
export const hangMicrophone = () => replaceMicrophone(() => new Promise(() => {}))

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Makes `audio.play()` and `AudioContext.resume()` refuse as an autoplay policy does, until the returned function is called. */
export function blockAudio(): () => void {
  const refuse = () => Promise.reject(new DOMException('Autoplay refused', 'NotAllowedError'))
  const { play } = HTMLMediaElement.prototype
  const { resume } = AudioContext.prototype
  HTMLMediaElement.prototype.play = refuse
  AudioContext.prototype.resume = function (this: AudioContext) {
    // A refused context stays suspended (the test browsers would otherwise start it anyway).
    void this.suspend()
    return refuse()
  }
  const restore = () => {
    HTMLMediaElement.prototype.play = play
    AudioContext.prototype.resume = resume
  }
  blockAudio.restore = restore
  return restore
}
blockAudio.restore = () => {}
