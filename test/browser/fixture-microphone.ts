// Setup file for the firefox and webkit projects. Their fake capture devices play a
// tone; Chromium's plays a WAV (--use-file-for-fake-audio-capture). To give every
// engine the same fixture speech, getUserMedia still opens the engine's own fake
// device (so permission and device errors stay real), and its audio track is
// swapped for one that plays the fixture in a loop, as Chromium's does. Stopping
// the returned track stops the device track and closes the context behind it.
import { inject } from 'vitest'

export const FIXTURE_SPEECH = 'kitchen-lights'

const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)

async function fixtureTrack(): Promise<{ track: MediaStreamTrack; context: AudioContext }> {
  const context = new AudioContext()
  const response = await fetch(`${inject('fixturesUrl')}/speech/${FIXTURE_SPEECH}.wav`)
  const buffer = await context.decodeAudioData(await response.arrayBuffer())
  const source = context.createBufferSource()
  source.buffer = buffer
  source.loop = true
  const destination = context.createMediaStreamDestination()
  source.connect(destination)
  source.start()
  await context.resume()
  const [track] = destination.stream.getAudioTracks()
  if (!track) throw new Error('fixture microphone: no audio track')
  return { track, context }
}

navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
  const stream = await original(constraints)
  const [device] = stream.getAudioTracks()
  if (!device) return stream
  const { track, context } = await fixtureTrack()
  const stopDevice = device.stop.bind(device)
  const stopFixture = track.stop.bind(track)
  track.stop = () => {
    stopFixture()
    stopDevice()
    void context.close()
  }
  stream.removeTrack(device)
  stream.addTrack(track)
  return stream
}
