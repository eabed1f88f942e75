import { expect, test } from 'vitest'

test('the engine has a live fake microphone', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  const [track] = stream.getAudioTracks()
  expect(track?.readyState).toBe('live')
  track?.stop()
})
