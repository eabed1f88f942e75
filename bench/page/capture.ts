// In headless Chromium: transcode time to 16 kHz WAV, and stop-to-request time.
import { createDifyTransport, createOpenAITransport, createRecorder, toUploadable } from '@voicekit/core'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const dify = createDifyTransport({ baseUrl: '/nowhere' })

async function fetchBlob(url: string): Promise<Blob> {
  return (await fetch(url)).blob()
}

/** toUploadable on a WebM/Opus file for Dify (which takes no WebM): decode, resample, encode WAV. Ms per run. */
async function transcode(url: string, runs: number): Promise<{ ms: number[]; wavBytes: number }> {
  const blob = await fetchBlob(url)
  const ms: number[] = []
  let wavBytes = 0
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const file = await toUploadable(
      { blob, mimeType: 'audio/webm;codecs=opus', durationMs: 1, endedBy: 'stop' },
      dify.input,
    )
    ms.push(performance.now() - t0)
    wavBytes = file.size
    if (file.type !== 'audio/wav') throw new Error(`expected WAV, got ${file.type}`)
  }
  return { ms, wavBytes }
}

/**
 * From `recorder.stop()` to the transport's fetch being called, after `recordMs` of the fake
 * microphone: through Dify (WebM → WAV transcode) and OpenAI (WebM sent as it is); and the
 * hand-written baseline, MediaRecorder.stop() until its Blob is ready.
 */
async function stopToRequest(recordMs: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const [name, make] of [
    ['dify', createDifyTransport],
    ['openai', createOpenAITransport],
  ] as const) {
    let called = 0
    const transport = make({
      baseUrl: '/nowhere',
      fetch: async () => {
        called = performance.now()
        return new Response(JSON.stringify({ text: 'ok' }), { headers: { 'content-type': 'application/json' } })
      },
    })
    const recorder = createRecorder({ input: transport.input })
    await recorder.start()
    await sleep(recordMs)
    const t0 = performance.now()
    const recording = await recorder.stop()
    if (!recording) throw new Error('no recording')
    await transport.transcribe?.(await toUploadable(recording, transport.input))
    out[name] = called - t0
    recorder.dispose()
  }
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  const media = new MediaRecorder(stream)
  const chunks: Blob[] = []
  media.ondataavailable = (event) => chunks.push(event.data)
  const stopped = new Promise<void>((resolve) => {
    media.onstop = () => resolve()
  })
  media.start(1000)
  await sleep(recordMs)
  const t0 = performance.now()
  media.stop()
  await stopped
  const blob = new Blob(chunks, { type: media.mimeType })
  let called = 0
  await (async (body: Blob) => {
    called = performance.now()
    return body.size
  })(blob)
  out.baseline = called - t0
  for (const track of stream.getTracks()) track.stop()
  return out
}

Object.assign(window, { bench: { transcode, stopToRequest } })
document.title = 'ready'
