// In headless Chromium, the fake microphone playing the long fixture (looped): continuous dictation and
// the single-file mode record the same microphone at the same time; after stop, the time to the whole
// text for each (continuous first, then the single file, so they never share the server).
import { createDictation, createDifyTranscriber, createRecorder, toUploadable } from '@voicekit/core'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function compare(recordMs: number) {
  const transport = createDifyTranscriber({ baseUrl: '/api/voice/dify', timeoutMs: 0 })
  const dictation = createDictation({ transport, keepRecording: false })
  const recorder = createRecorder({ input: transport.input, level: false, maxDurationMs: recordMs + 60_000 })
  await Promise.all([dictation.start(), recorder.start()])
  let firstText = 0
  const t0 = performance.now()
  const unsubscribe = dictation.subscribe(() => {
    if (!firstText && dictation.getSnapshot().text) firstText = performance.now() - t0
  })
  await sleep(recordMs)
  const stopAt = performance.now()
  const [, recording] = await Promise.all([dictation.stop(), recorder.stop()])
  const continuousMs = performance.now() - stopAt
  const state = dictation.getSnapshot()
  unsubscribe()
  const singleStart = performance.now()
  if (!recording) throw new Error('no recording')
  const single = await transport.transcribe(await toUploadable(recording, transport.input))
  const singleMs = performance.now() - singleStart
  dictation.dispose()
  recorder.dispose()
  return {
    continuousMs,
    singleMs,
    firstTextMs: firstText,
    segments: state.segments.length,
    status: state.status,
    continuousWords: state.text.split(' ').filter(Boolean).length,
    singleWords: single.text.split(' ').filter(Boolean).length,
    continuousText: state.text,
    singleText: single.text,
  }
}

;(window as unknown as { bench: unknown }).bench = { compare }
document.title = 'ready'
