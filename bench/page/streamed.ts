// In a browser page: an assistant's reply streamed as text at about 30 tokens a second, spoken through
// the proxy and the local speech server by `speak()` — given the text stream itself, or the whole text
// once it has all arrived. Times are `performance.now()` in the page.
import { createDifyTransport, createSpeechSession } from '@voicekit/core'

export interface ReplyRun {
  mode: 'stream' | 'whole'
  engine: string | null
  /** From the request for the reply to: its first token, the end of its first sentence, its last token. */
  firstTokenMs: number
  firstSentenceMs: number
  lastTokenMs: number
  /** From the request for the reply to the first audio the player reports. */
  firstAudioMs: number
  /** Seconds of speech played (stream mode: the whole reply; whole mode: stopped at first audio). */
  playedS: number
  underruns: number
  error: string | null
}

/** The reply's text as it arrives, noting when its first sentence's end (`.`, `!`, `?`) and its last token came. */
function timedText(body: ReadableStream<BufferSource>, t0: number, times: Partial<ReplyRun>) {
  let written = ''
  return body.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TransformStream<string, string>({
      transform(chunk, controller) {
        const now = performance.now() - t0
        times.firstTokenMs ??= now
        written += chunk
        if (times.firstSentenceMs === undefined && /[.!?]/.test(written)) times.firstSentenceMs = now
        times.lastTokenMs = now
        controller.enqueue(chunk)
      },
    }),
  )
}

async function reply(mode: 'stream' | 'whole'): Promise<ReplyRun> {
  const session = createSpeechSession({
    transport: createDifyTransport({ baseUrl: '/api/voice/dify' }),
    cache: false,
    volume: 0,
  })
  const times: Partial<ReplyRun> = {}
  let firstAudio: number | undefined
  let engine: string | null = null
  const heard = new Promise<void>((resolve) => {
    const unsubscribe = session.subscribe(() => {
      const state = session.getSnapshot()
      if (state.status === 'playing' && firstAudio === undefined) {
        firstAudio = performance.now()
        engine = state.engine
        unsubscribe()
        resolve()
      }
    })
  })
  const t0 = performance.now()
  const response = await fetch('/api/assistant-reply')
  if (!response.ok || !response.body) throw new Error(`assistant reply: HTTP ${response.status}`)
  const text = timedText(response.body, t0, times)
  let error: unknown
  if (mode === 'stream') {
    error = await session.speak(text)
  } else {
    let whole = ''
    const reader = text.getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) whole += r.value
    const spoken = session.speak(whole)
    await Promise.race([heard, spoken])
    session.stop()
    error = (await spoken)?.code === 'aborted' ? undefined : await spoken
  }
  const state = session.getSnapshot()
  session.dispose()
  if (firstAudio === undefined) throw new Error(`no audio (${String(error)})`)
  return {
    mode,
    engine,
    firstTokenMs: times.firstTokenMs ?? Number.NaN,
    firstSentenceMs: times.firstSentenceMs ?? Number.NaN,
    lastTokenMs: times.lastTokenMs ?? Number.NaN,
    firstAudioMs: firstAudio - t0,
    playedS: state.currentTime,
    underruns: state.underruns,
    error: error ? String(error) : null,
  }
}

Object.assign(window, { bench: { reply } })
document.title = 'ready'
