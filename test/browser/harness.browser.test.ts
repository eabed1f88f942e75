// The harness itself: each engine's fake microphone is live and carries the
// fixture speech (a loud signal, not the near-silent tone some fake devices give).
import { expect, test } from 'vitest'

async function rmsOf(stream: MediaStream, ms: number): Promise<number> {
  const context = new AudioContext()
  await context.resume()
  const analyser = context.createAnalyser()
  context.createMediaStreamSource(stream).connect(analyser)
  const samples = new Float32Array(analyser.fftSize)
  let peak = 0
  const until = performance.now() + ms
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    analyser.getFloatTimeDomainData(samples)
    peak = Math.max(peak, Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length))
  }
  await context.close()
  return peak
}

test('the fake microphone is live and plays fixture speech', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  const [track] = stream.getAudioTracks()
  expect(track?.readyState).toBe('live')
  // Flite speech peaks well above -30 dBFS; silence or a missing device stays at 0.
  expect(await rmsOf(stream, 1500)).toBeGreaterThan(0.03)
  track?.stop()
  expect(track?.readyState).toBe('ended')
})

test('MediaRecorder records the fake microphone into a non-empty file', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  const recorder = new MediaRecorder(stream)
  const chunks: Blob[] = []
  recorder.ondataavailable = (event) => chunks.push(event.data)
  const stopped = new Promise((resolve) => {
    recorder.onstop = resolve
  })
  recorder.start()
  // WebKit's recordings come out about a second short (docs/browsers.md): record well past that.
  await new Promise((resolve) => setTimeout(resolve, 2500))
  recorder.stop()
  await stopped
  for (const track of stream.getTracks()) track.stop()
  const size = chunks.reduce((sum, chunk) => sum + chunk.size, 0)
  expect(size).toBeGreaterThan(1000)
  expect(chunks[0]?.type).toMatch(/^audio\//)
})
