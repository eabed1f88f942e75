// speakTextStream in each engine, against the local speech server through the proxy (Dify's wire format).
import { afterEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { createStreamingPlayer, type StreamingPlayer } from '../../playback'
import { feed, fetchBytes, until } from '../../playback/test-streams'
import { createDifyTransport } from '../../providers'
import type { AudioStream, SpeechTransport } from '../../transport'
import { type SpeechCache, speakTextStream } from './speak-text-stream'

const browser = server.browser
const story = [
  'Here is the first sentence.',
  'The second one follows it closely.',
  'A third sentence makes the reply longer.',
  'And the fourth one ends it.',
]

/** The Dify transport through the proxy, recording each request: its text, its signal, how it ended. */
function recordingSpeaker(fault?: (call: number) => string | undefined) {
  const calls: { text: string; signal?: AbortSignal }[] = []
  let n = 0
  const dify = createDifyTransport({
    baseUrl: `${inject('voiceBaseUrl')}/dify`,
    headers: (): Record<string, string> => {
      const f = fault?.(++n)
      return f ? { 'x-speech-fault': f } : {}
    },
  })
  const speaker: Pick<SpeechTransport, 'provider' | 'speak'> = {
    provider: 'dify',
    speak(text, options) {
      calls.push({ text, signal: options?.signal })
      return dify.speak!(text, options) as Promise<AudioStream>
    },
  }
  return { speaker, calls }
}

/** Tokens of a few characters at `perSecond`, as an LLM writes them (`endless`: the text again and again); records whether it was told to stop. */
function tokens(text: string, perSecond = 60, size = 4, endless = false) {
  const seen = { given: 0, returned: false, done: false }
  async function* generate() {
    try {
      for (let i = 0; endless || i < text.length; i += size) {
        if (i >= text.length) i = 0
        await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond))
        seen.given += size
        yield text.slice(i, i + size)
      }
      seen.done = true
    } finally {
      seen.returned = !seen.done
    }
  }
  return { stream: generate(), seen }
}

let players: StreamingPlayer[] = []
const makePlayer = () => {
  const player = createStreamingPlayer({ playbackRate: 2 })
  players.push(player)
  return player
}
afterEach(() => {
  for (const player of players) player.dispose()
  players = []
})

describe(`speakTextStream in ${browser}`, () => {
  test('speaks while the text is still being written, and caches every finished piece', {
    timeout: 60_000,
  }, async () => {
    const player = makePlayer()
    const { speaker, calls } = recordingSpeaker()
    // The last sentence is written only once speech is heard: a speaker that waited for the whole
    // text would never get it (and this test would time out).
    async function* writer() {
      for (const sentence of story.slice(0, -1)) yield `${sentence} `
      await until(() => player.getSnapshot().status === 'playing', 'speech before the text has ended', 45_000)
      yield story.at(-1)!
    }
    const cache = new Map<string, { mimeType: string; parts: Uint8Array[] }>()
    // One sentence a piece, so that the replay below cuts the same pieces whatever the timing.
    const split = { maxSentences: 1 }
    const { error, pieces, heard } = await speakTextStream({ speaker, player, text: writer(), cache, split })
    expect(error).toBeUndefined()
    expect(pieces[0]!.text).toBe(story[0])
    expect(pieces.length).toBeGreaterThan(1)
    expect(heard).toBe(story.join(' '))
    expect(calls.map((c) => c.text)).toEqual(pieces.map((p) => p.text))
    expect(player.getSnapshot().status).toBe('done')
    // Every piece went to the cache: the same reply again sends no request.
    expect(cache.size).toBe(pieces.length)
    async function* again() {
      yield story.join(' ')
    }
    const replay = await speakTextStream({ speaker, player, text: again(), cache: cache as SpeechCache, split })
    expect(replay.error).toBeUndefined()
    expect(calls.length).toBe(pieces.length)
  })

  // Underruns depend on the machine's speed: `pnpm bench streamed` counts them (0 in every engine).
  test('pieces play back to back as one utterance: every second heard', async () => {
    const player = makePlayer()
    const audio = await Promise.all(
      ['weather.mp3', 'kitchen-lights.mp3', 'three-sentences.mp3'].map((name) =>
        fetchBytes(`${inject('fixturesUrl')}/speech/${name}`),
      ),
    )
    const seconds = [64, 91, 188].map((frames) => (frames * 1152) / 44100)
    let n = 0
    const speaker: Pick<SpeechTransport, 'provider' | 'speak'> = {
      provider: `fixtures-${Math.random()}`,
      // Each piece starts after 100 ms and arrives at 4× real time (the player runs at 2×).
      async speak() {
        const bytes = audio[n++ % 3]!
        await new Promise((resolve) => setTimeout(resolve, 100))
        return { mimeType: 'audio/mpeg', body: feed(bytes, { rate: 32_000 }).stream }
      },
    }
    async function* text() {
      yield 'One. Two. Three.'
    }
    const { error, pieces } = await speakTextStream({ speaker, player, text: text(), split: { maxSentences: 1 } })
    expect(error).toBeUndefined()
    expect(pieces).toHaveLength(3)
    const state = player.getSnapshot()
    expect(state.status).toBe('done')
    expect(state.queued).toBe(0)
    const total = seconds.reduce((a, b) => a + b)
    expect(state.currentTime).toBeGreaterThan(total - 0.3)
    expect(state.currentTime).toBeLessThan(total + 0.3)
  })

  test('stop mid-sentence stops reading the text, aborts every request and playback', async () => {
    const player = makePlayer()
    const { speaker, calls } = recordingSpeaker(() => 'rate=6000') // slow audio: requests stay open
    const { stream, seen } = tokens(`${story.join(' ')} `, 30, 4, true)
    const result = speakTextStream({ speaker, player, text: stream, maxInFlight: 2 })
    await until(() => player.getSnapshot().status === 'playing' && calls.length >= 2, 'playing, two requests open')
    const given = seen.given
    player.stop()
    const { error } = await result
    expect(error?.code).toBe('aborted')
    await until(() => seen.returned, 'the text generator to be returned')
    expect(calls.length).toBeLessThanOrEqual(3)
    for (const call of calls) expect(call.signal?.aborted).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(seen.given - given).toBeLessThanOrEqual(4) // nothing read after the stop (one token may be in hand)
    expect(player.getSnapshot().status).toBe('idle')
  })

  test("its own signal stops a ReadableStream's reading (cancel) and the requests", async () => {
    const player = makePlayer()
    const { speaker, calls } = recordingSpeaker(() => 'rate=6000')
    let cancelled = false
    let i = 0
    const text = new ReadableStream<string>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 30))
        controller.enqueue(`${story[i++ % story.length]} `)
      },
      cancel() {
        cancelled = true
      },
    })
    const stop = new AbortController()
    const result = speakTextStream({ speaker, player, text, signal: stop.signal })
    await until(() => player.getSnapshot().currentTime > 0.2, 'playback')
    stop.abort()
    expect((await result).error?.code).toBe('aborted')
    expect(cancelled).toBe(true)
    for (const call of calls) expect(call.signal?.aborted).toBe(true)
    expect(player.getSnapshot().status).toBe('idle')
  })

  test('a text stream that breaks ends in a typed error, and what was heard is kept', async () => {
    const player = makePlayer()
    const { speaker } = recordingSpeaker()
    async function* broken() {
      yield 'Here is the first sentence. '
      yield 'The second one is cut'
      throw new TypeError('network error: the model stream dropped')
    }
    const { error, heard, pieces } = await speakTextStream({ speaker, player, text: broken() })
    expect(error?.code).toBe('network')
    expect(error?.message).toMatch(/model stream dropped/)
    expect(heard).toBe('Here is the first sentence.')
    expect(pieces.map((p) => p.text)).toEqual(['Here is the first sentence.'])
    expect(player.getSnapshot().status).toBe('done') // the first sentence played to its end
    expect(player.getSnapshot().currentTime).toBeGreaterThan(1)
  })

  test('an empty text stream leaves the player idle and sends no request', async () => {
    const player = makePlayer()
    const { speaker, calls } = recordingSpeaker()
    async function* empty() {
      yield ''
      yield '  \n '
    }
    const result = await speakTextStream({ speaker, player, text: empty() })
    expect(result).toEqual({ pieces: [], heard: '', unheard: '' })
    expect(calls).toEqual([])
    expect(player.getSnapshot().status).toBe('idle')
  })

  test('a 503 on one piece is retried, and the reply is complete', async () => {
    const player = makePlayer()
    const { speaker, calls } = recordingSpeaker((n) => (n === 2 ? 'status=503' : undefined))
    const { error, heard } = await speakTextStream({
      speaker,
      player,
      text: tokens(story.join(' '), 200).stream,
      retryDelayMs: 50,
    })
    expect(error).toBeUndefined()
    expect(heard).toBe(story.join(' '))
    expect(calls.length).toBeGreaterThanOrEqual(3)
    expect(calls[2]!.text).toBe(calls[1]!.text) // the retry of the refused piece
  })

  test('a piece refused for good is reported, and the following pieces still play', async () => {
    const player = makePlayer()
    const { speaker, calls } = recordingSpeaker((n) => (n === 2 ? 'status=503' : undefined))
    const { error, pieces, heard } = await speakTextStream({
      speaker,
      player,
      text: tokens(story.join(' '), 200).stream,
      retries: 0,
    })
    expect(error?.code).toBe('provider_unavailable')
    expect(pieces[1]!.error?.code).toBe('provider_unavailable')
    expect(pieces.filter((p) => p.error)).toHaveLength(1)
    expect(pieces.length).toBeGreaterThan(2)
    expect(heard).toBe(
      pieces
        .filter((p) => !p.error)
        .map((p) => p.text)
        .join(' '),
    )
    expect(heard).toContain(story[3])
    expect(calls.length).toBe(pieces.length)
    expect(player.getSnapshot().status).toBe('done')
  })
})
