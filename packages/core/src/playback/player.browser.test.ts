// createStreamingPlayer in each engine, on in-page streams paced like a network.
import { afterEach, describe, expect, inject, test, vi } from 'vitest'
import { server, userEvent } from 'vitest/browser'
import type { PlaybackEngine } from '../capabilities'
import { createDifyTransport } from '../providers'
import { concat, createMp3Splitter, framesDuration } from './mp3-frames'
import type { AudioSource } from './player'
import { createStreamingPlayer, type StreamingPlayer } from './player'
import { audioFrames, type Feed, feed, fetchBytes, repeated, until } from './test-streams'

const browser = server.browser
/** What each engine picks for MP3 by itself, and every streaming engine it has. */
const mp3Engine: PlaybackEngine = 'webaudio'
const streamingEngines: PlaybackEngine[] =
  browser === 'firefox' ? ['webaudio'] : browser === 'webkit' ? ['mse', 'managed-mse', 'webaudio'] : ['mse', 'webaudio']

const load = (name: string) => fetchBytes(`${inject('fixturesUrl')}/speech/${name}`)
const [weather, kitchen, three, kitchenWav] = await Promise.all([
  load('weather.mp3'), // 64 frames, 1.672 s
  load('kitchen-lights.mp3'), // 91 frames, 2.377 s
  load('three-sentences.mp3'), // 188 frames, 4.911 s
  load('kitchen-lights.wav'), // 16 kHz mono 16-bit
])
const FRAME = 1152 / 44100
const mp3 = (fed: Feed) => ({ mimeType: 'audio/mpeg', body: fed.stream })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let players: StreamingPlayer[] = []
function makePlayer(...args: Parameters<typeof createStreamingPlayer>) {
  const player = createStreamingPlayer(...args)
  players.push(player)
  return player
}
afterEach(() => {
  for (const player of players) player.dispose()
  players = []
  vi.restoreAllMocks()
})

/** Resolves once the player has been heard (its position moved). */
function heard(player: StreamingPlayer) {
  return new Promise<void>((resolve) => {
    const off = player.subscribe(() => {
      if (player.getSnapshot().currentTime > 0) {
        off()
        resolve()
      }
    })
  })
}

/**
 * `stream` held after `bytes` until `open` settles: playback that begins only at the end of the stream
 * never opens it, so "heard while still arriving" is proven by order, whatever the machine's speed.
 */
function heldAfter(stream: ReadableStream<Uint8Array>, bytes: number, open: Promise<void>) {
  let passed = 0
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        if (passed >= bytes) await open
        passed += chunk.length
        controller.enqueue(chunk)
      },
    }),
  )
}

/** The first time each status was seen, in order. */
const firsts = (seen: string[]) => [...new Set(seen)]
/** Returns from playing to buffering: what the player must count as underruns. */
const rebufferings = (seen: string[]) => seen.filter((s, i) => s === 'buffering' && seen[i - 1] === 'playing').length

/** Statuses in order (repeats folded). */
function statuses(player: StreamingPlayer) {
  const seen: string[] = []
  player.subscribe(() => {
    const { status } = player.getSnapshot()
    if (seen.at(-1) !== status) seen.push(status)
  })
  return seen
}

/**
 * The next `resume()` leaves the context suspended and answers what `answer` makes of the real resume:
 * an autoplay policy refusing, holding it pending, or starting it late.
 */
function nextResume(answer: (start: () => Promise<void>) => Promise<void>) {
  const { resume } = AudioContext.prototype
  vi.spyOn(AudioContext.prototype, 'resume').mockImplementationOnce(function (this: AudioContext) {
    void this.suspend()
    return answer(() => resume.call(this))
  })
}
/** A page no one has clicked yet. */
const noGestureYet = () => vi.spyOn(UserActivation.prototype, 'hasBeenActive', 'get').mockReturnValue(false)

describe(`streaming in ${browser}`, () => {
  test.each(streamingEngines)('%s: playback starts while the stream is still arriving', async (engine) => {
    const fed = feed(three, { chunk: 1000 })
    const player = makePlayer({ engines: [engine] })
    // The second half arrives only once the first is heard.
    const opened = heard(player)
    let audibleWhileArriving = false
    player.subscribe(() => {
      if (player.getSnapshot().currentTime > 0 && !fed.finished) audibleWhileArriving = true
    })
    const seen = statuses(player)
    const result = await player.play({ mimeType: 'audio/mpeg', body: heldAfter(fed.stream, three.length / 2, opened) })
    const state = player.getSnapshot()
    expect(result).toBeUndefined()
    expect(state.engine).toBe(engine)
    expect(audibleWhileArriving).toBe(true)
    expect(firsts(seen.slice(seen.indexOf('loading')))).toEqual(['loading', 'buffering', 'playing', 'done'])
    expect(seen.at(-1)).toBe('done')
    expect(state.underruns).toBe(rebufferings(seen))
    expect(state.currentTime).toBeGreaterThan(188 * FRAME - 0.3)
    expect(state.currentTime).toBeLessThan(188 * FRAME + 0.3)
    expect(state.firstByteMs).toBeGreaterThanOrEqual(0)
    expect(state.firstAudioMs).toBeGreaterThan(state.firstByteMs!)
    console.info(`[${browser} ${engine}] firstByteMs=${state.firstByteMs} firstAudioMs=${state.firstAudioMs}`)
  })

  test(`MP3 goes to ${mp3Engine} unless told otherwise`, async () => {
    const player = makePlayer()
    expect(await player.play(mp3(feed(weather)))).toBeUndefined()
    expect(player.getSnapshot().engine).toBe(mp3Engine)
  })

  test("unlock() loads Web Audio's MP3 decoder once, on frames every engine decodes", async () => {
    const decode = vi.spyOn(AudioContext.prototype, 'decodeAudioData')
    const player = makePlayer()
    player.unlock()
    player.unlock()
    expect(decode).toHaveBeenCalledTimes(1)
    const decoded = await decode.mock.results[0]!.value
    expect(decoded.duration).toBeGreaterThan(0.04)
    // Where MP3 goes to the audio element (another rate), the click needs no decoder.
    const atRate = makePlayer({ playbackRate: 1.5 })
    atRate.unlock()
    expect(decode).toHaveBeenCalledTimes(browser === 'firefox' ? 2 : 1)
  })

  test('at another rate, MP3 goes to MediaSource where it plays MP3 (the element keeps the pitch)', async () => {
    const atRate = makePlayer({ playbackRate: 1.5 })
    expect(await atRate.play(mp3(feed(weather)))).toBeUndefined()
    expect(atRate.getSnapshot().engine).toBe(browser === 'firefox' ? 'webaudio' : 'mse')
    // Back at 1, the next utterance starts on Web Audio again; an order given is kept as given.
    atRate.setPlaybackRate(1)
    expect(await atRate.play(mp3(feed(weather)))).toBeUndefined()
    expect(atRate.getSnapshot().engine).toBe('webaudio')
    if (browser === 'firefox') return
    const ordered = makePlayer({ engines: ['mse', 'webaudio'] })
    expect(await ordered.play(mp3(feed(weather)))).toBeUndefined()
    expect(ordered.getSnapshot().engine).toBe('mse')
  })

  test.each(streamingEngines)('%s: two MP3 files back to back play through as one', async (engine) => {
    const fed = feed(concat([weather, kitchen]), { chunk: 777, rate: 64_000 })
    const player = makePlayer({ engines: [engine], playbackRate: 2 })
    const result = await player.play(mp3(fed))
    expect(result).toBeUndefined()
    expect(player.getSnapshot().currentTime).toBeGreaterThan((64 + 91) * FRAME - 0.2)
    expect(player.getSnapshot().currentTime).toBeLessThan((64 + 91) * FRAME + 0.2)
  })

  test.each(streamingEngines)(
    '%s: a dropped connection is playback_failed, after the received audio played',
    async (engine) => {
      const fed = feed(three, { rate: 32_000, stopAfter: 16_000, stopWith: 'error' })
      const player = makePlayer({ engines: [engine] })
      const seen = statuses(player)
      const result = await player.play(mp3(fed))
      const state = player.getSnapshot()
      expect(result?.code).toBe('playback_failed')
      expect(state.error).toBe(result)
      expect(state.status).toBe('error')
      expect(seen.indexOf('playing')).toBeGreaterThan(-1)
      expect(seen.indexOf('playing')).toBeLessThan(seen.indexOf('error'))
      // About 76 whole frames had arrived (16000 bytes - the tag and Info frame): all of them played.
      expect(state.currentTime).toBeGreaterThan(72 * FRAME)
      expect(result?.message).toMatch(/connection dropped/)
    },
  )

  test('a stream that ends inside a frame is playback_failed, not silence', async () => {
    const player = makePlayer()
    const result = await player.play(mp3(feed(weather, { stopAfter: 5000, stopWith: 'close', rate: 32_000 })))
    expect(result?.code).toBe('playback_failed')
    expect(player.getSnapshot().currentTime).toBeGreaterThan(20 * FRAME)
  })

  test('an empty stream, or one with no MP3 in it, is playback_failed', async () => {
    const player = makePlayer()
    expect((await player.play(mp3(feed(new Uint8Array(0)))))?.code).toBe('playback_failed')
    const text = new TextEncoder().encode('{"message":"not audio"}'.repeat(50))
    expect((await player.play(mp3(feed(text))))?.code).toBe('playback_failed')
    expect(player.getSnapshot().firstAudioMs).toBeNull()
  })

  test.each(streamingEngines)('%s: a 20-minute stream fed fast keeps what is held bounded', async (engine) => {
    const frames = audioFrames(weather)
    const copies = Math.ceil(1200 / (64 * FRAME))
    const long = repeated(frames, copies)
    const fed = feed(long, { chunk: 65_536 })
    const player = makePlayer({ engines: [engine], playbackRate: 16 })
    let behind = 0
    let ahead = 0
    player.subscribe(() => {
      const s = player.getSnapshot()
      behind = Math.max(behind, s.currentTime - s.bufferedFrom)
      ahead = Math.max(ahead, s.bufferedUntil - s.currentTime)
    })
    const result = player.play(mp3(fed))
    // Past 100 s, everything played would be more than 60 s if nothing were evicted.
    await until(() => player.getSnapshot().currentTime > 100, 'currentTime > 100 s', 60_000)
    const state = player.getSnapshot()
    expect(state.status).toBe('playing')
    expect(state.bufferedFrom).toBeGreaterThan(40)
    expect(behind).toBeLessThan(engine === 'webaudio' ? 20 : 60)
    expect(ahead).toBeLessThan(engine === 'webaudio' ? 60 : 45)
    // Reading waits for the playhead: most of the 9.6 MB was never pulled.
    expect(fed.sent).toBeLessThan(long.length / 4)
    player.stop()
    expect((await result)?.code).toBe('aborted')
    await until(() => fed.cancelled, 'the stream to be cancelled')
    console.info(
      `[${browser} ${engine}] 20-min stream: max behind ${behind.toFixed(1)} s, max ahead ${ahead.toFixed(1)} s`,
    )
  })
})

describe(`a stream that pauses between sentences in ${browser}`, () => {
  /** `first` at once, then nothing for `pauseMs` (the server synthesising the next sentence), then `second`. */
  function pausing(first: Uint8Array, second: Uint8Array, pauseMs: number) {
    const state = { second: false }
    let step = 0
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (step === 0) controller.enqueue(first)
        else if (step === 1) {
          await sleep(pauseMs)
          state.second = true
          controller.enqueue(second)
        } else controller.close()
        step++
      },
    })
    return { stream, state }
  }

  // How many underruns a pause or a whole utterance costs is a figure of `pnpm bench` (playback group): on a
  // loaded machine a starved page runs dry too. Here: the run-dry is reported, in order, and counted.
  test.each(streamingEngines)(
    '%s: the whole first sentence is heard before the pause ends, and the pause is reported as an underrun',
    async (engine) => {
      const player = makePlayer({ engines: [engine] })
      const { stream, state } = pausing(weather, kitchen, 3500)
      let heardBeforeSecond = 0
      const order: string[] = []
      player.subscribe(() => {
        const { currentTime, status } = player.getSnapshot()
        if (!state.second) heardBeforeSecond = Math.max(heardBeforeSecond, currentTime)
        const event = `${status}${state.second ? ' (second sentence in)' : ''}`
        if (order.at(-1) !== event) order.push(event)
      })
      expect(await player.play({ mimeType: 'audio/mpeg', body: stream })).toBeUndefined()
      // Nothing of "weather" (64 frames) is held back for the next sentence: a group waiting for company, or
      // its last frame waiting for the next frame's header, was silence in the middle of the utterance.
      expect(heardBeforeSecond).toBeGreaterThan(64 * FRAME - 0.1)
      // Ran dry in the pause, played again once the second sentence came, to the end.
      const dry = order.indexOf('buffering', order.indexOf('playing'))
      expect(dry, order.join(' → ')).toBeGreaterThan(-1)
      expect(order.indexOf('playing (second sentence in)'), order.join(' → ')).toBeGreaterThan(dry)
      expect(order.at(-1)).toBe('done (second sentence in)')
      const seen = order.map((event) => event.split(' ')[0]!).filter((s, i, all) => s !== all[i - 1])
      expect(player.getSnapshot().underruns).toBeGreaterThanOrEqual(1)
      expect(player.getSnapshot().underruns).toBe(rebufferings(seen))
      expect(player.getSnapshot().currentTime).toBeGreaterThan((64 + 91) * FRAME - 0.2)
    },
  )

  test.each(streamingEngines)(
    '%s: a stream that never runs dry plays to the end; any underrun is counted',
    async (engine) => {
      const player = makePlayer({ engines: [engine] })
      const seen = statuses(player)
      expect(await player.play(mp3(feed(three)))).toBeUndefined()
      expect(firsts(seen.slice(seen.indexOf('loading')))).toEqual(['loading', 'buffering', 'playing', 'done'])
      expect(player.getSnapshot().underruns).toBe(rebufferings(seen))
      expect(player.getSnapshot().currentTime).toBeGreaterThan(188 * FRAME - 0.3)
    },
  )
})

describe(`MediaSource details in ${browser}`, () => {
  // Firefox has no MediaSource for MP3: these engines do not exist there (webaudio is tested above).
  for (const engine of streamingEngines.filter((e) => e !== 'webaudio')) {
    test(`${engine}: QuotaExceededError removes played audio and retries`, async () => {
      const append = SourceBuffer.prototype.appendBuffer
      const remove = vi.spyOn(SourceBuffer.prototype, 'remove')
      let bytes = 0
      let refused = 0
      vi.spyOn(SourceBuffer.prototype, 'appendBuffer').mockImplementation(function (this: SourceBuffer, data) {
        // Full once about 2 s of audio is in, until played audio is removed.
        if (bytes > 16_000 && !remove.mock.calls.length) {
          refused++
          throw new DOMException('The SourceBuffer is full', 'QuotaExceededError')
        }
        bytes += (data as ArrayBufferView).byteLength
        return append.call(this, data)
      })
      const player = makePlayer({ engines: [engine] })
      expect(await player.play(mp3(feed(three, { rate: 16_000 })))).toBeUndefined()
      expect(refused).toBeGreaterThan(0)
      expect(remove).toHaveBeenCalled()
      expect(remove.mock.calls[0]![1]).toBeGreaterThan(0.4)
      expect(player.getSnapshot().currentTime).toBeGreaterThan(188 * FRAME - 0.3)
    })
  }

  if (browser === 'firefox')
    test('MediaSource takes no MP3 here: MSE engines are never chosen, a stream they alone could play is unsupported', async () => {
      expect(MediaSource.isTypeSupported('audio/mpeg')).toBe(false)
      const fed = feed(weather)
      const result = await makePlayer({ engines: ['mse', 'managed-mse'] }).play(mp3(fed))
      expect(result?.code).toBe('unsupported_playback')
      await until(() => fed.cancelled, 'cancel')
    })

  if (streamingEngines.includes('managed-mse'))
    test('managed-mse: disableRemotePlayback is set before the source', async () => {
      const src = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'src')!
      const remoteAtSrc: unknown[] = []
      vi.spyOn(HTMLMediaElement.prototype, 'src', 'set').mockImplementation(function (this: HTMLMediaElement, url) {
        remoteAtSrc.push(this.disableRemotePlayback)
        src.set!.call(this, url)
      })
      const player = makePlayer({ engines: ['managed-mse'] })
      expect(await player.play(mp3(feed(weather)))).toBeUndefined()
      expect(remoteAtSrc[0]).toBe(true)
    })
})

describe(`queue and controls in ${browser}`, () => {
  test('utterances play in turn; interrupt stops the current one and drops the queue', async () => {
    const player = makePlayer({ playbackRate: 2 })
    const calls: string[] = []
    const feeds: Record<string, Feed> = {}
    const source = (name: string, bytes: Uint8Array) => async () => {
      calls.push(name)
      feeds[name] = feed(bytes, { rate: 32_000 })
      return mp3(feeds[name]!)
    }
    const a = player.play(source('a', weather))
    const b = player.play(source('b', kitchen))
    expect(player.getSnapshot().queued).toBe(1)
    await until(() => player.getSnapshot().status === 'playing', 'a to play')
    expect(calls).toEqual(['a'])
    expect(await a).toBeUndefined()
    await until(() => calls.length === 2, 'b to start')
    expect(player.getSnapshot().queued).toBe(0)
    expect(await b).toBeUndefined()
    expect(player.getSnapshot().status).toBe('done')

    const c = player.play(source('c', three))
    const d = player.play(source('d', weather))
    await until(() => player.getSnapshot().currentTime > 0.3, 'c to play')
    const e = player.play(source('e', kitchen), { interrupt: true })
    expect((await c)?.code).toBe('aborted')
    expect((await d)?.code).toBe('aborted')
    expect(feeds.c!.cancelled || feeds.c!.finished).toBe(true)
    expect(await e).toBeUndefined()
    expect(calls).toEqual(['a', 'b', 'c', 'e'])
    expect(player.getSnapshot().currentTime).toBeGreaterThan(91 * FRAME - 0.2)
  })

  test('pause holds the position, resume goes on, stop aborts the download', async () => {
    const player = makePlayer()
    const fed = feed(concat([three, three]), { rate: 8000 }) // real time, 9.8 s: still arriving when stopped
    const result = player.play(mp3(fed))
    await until(() => player.getSnapshot().currentTime > 0.2, 'playback')
    player.pause()
    expect(player.getSnapshot().status).toBe('paused')
    // Held once the output has stopped (the context suspended, the position read after that), not after a guess.
    const { context } = player.output()
    await until(() => context?.state !== 'running', 'the output to stop')
    let held = player.getSnapshot().currentTime
    await until(() => {
      const now = player.getSnapshot().currentTime
      const settled = now === held
      held = now
      return settled
    }, 'the position to settle')
    await sleep(800)
    expect(player.getSnapshot().currentTime - held).toBeLessThan(0.05)
    expect(player.getSnapshot().status).toBe('paused')
    player.resume()
    await until(() => player.getSnapshot().currentTime > held + 0.3, 'playback to go on')
    expect(player.getSnapshot().status).toBe('playing')
    player.stop()
    expect(player.getSnapshot().status).toBe('idle')
    expect((await result)?.code).toBe('aborted')
    expect(fed.finished).toBe(false)
    await until(() => fed.cancelled, 'the stream to be cancelled')
  })

  test('volume reaches the output, playbackRate speeds it up', async () => {
    const paramValue = vi.spyOn(AudioParam.prototype, 'value', 'set')
    const player = makePlayer()
    const result = player.play(mp3(feed(concat([three, three]))))
    await until(() => player.getSnapshot().currentTime > 0.3, 'playback')
    player.setVolume(0.25)
    expect(player.getSnapshot().volume).toBe(0.25)
    expect(paramValue).toHaveBeenLastCalledWith(0.25)

    // Speed measured on the audio clock the player plays by (the context's), not the wall clock: a starved
    // page's timers say nothing about it. Each sample pairs the position and the clock of one update.
    // Speed in wall-clock terms is a figure of `pnpm bench` (playback group).
    const { context } = player.output()
    expect(context).toBeDefined()
    const speed = async () => {
      const samples: [number, number][] = []
      const off = player.subscribe(() => samples.push([player.getSnapshot().currentTime, context!.currentTime]))
      await until(() => samples.length > 1 && samples.at(-1)![1] - samples[0]![1] > 1, 'a second of audio clock')
      off()
      const [[p0, c0], [p1, c1]] = [samples[0]!, samples.at(-1)!]
      return (p1 - p0) / (c1 - c0)
    }
    const normal = await speed()
    player.setPlaybackRate(2)
    expect(player.getSnapshot().playbackRate).toBe(2)
    expect(paramValue).toHaveBeenCalledWith(2)
    const fast = await speed()
    expect(normal).toBeGreaterThan(0.8)
    expect(fast).toBeGreaterThan(normal * 1.4)
    player.stop()
    await result
  })

  test('playback_blocked when the browser refuses to start, and playing after a click', async () => {
    const refuse = () => Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'))
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementationOnce(refuse)
    // A refused context stays suspended (this test's browsers would otherwise start it anyway).
    nextResume(refuse)
    const button = document.createElement('button')
    button.textContent = 'Listen'
    document.body.append(button)
    const player = makePlayer()
    const result = player.play(mp3(feed(kitchen, { rate: 32_000 })))
    await until(() => player.getSnapshot().status === 'blocked', 'blocked')
    expect(player.getSnapshot().error?.code).toBe('playback_blocked')
    await sleep(700)
    expect(player.getSnapshot().status).toBe('blocked')
    expect(player.getSnapshot().currentTime).toBeLessThan(0.1)
    // The Firefox provider has no userEvent commands: a DOM click is a click event all the same.
    if (browser === 'firefox') button.click()
    else await userEvent.click(button)
    await until(() => player.getSnapshot().status === 'playing', 'playing after the click')
    expect(player.getSnapshot().error).toBeNull()
    expect(await result).toBeUndefined()
    expect(player.getSnapshot().currentTime).toBeGreaterThan(91 * FRAME - 0.2)
    button.remove()
  })

  test('Web Audio left waiting for a gesture (as Chromium and Firefox do) is blocked, and plays after a click', async () => {
    // resume() held pending on a page no one has clicked: what these browsers do without the test flags.
    noGestureYet()
    nextResume(() => new Promise(() => {}))
    const button = document.createElement('button')
    button.textContent = 'Listen'
    document.body.append(button)
    const player = makePlayer()
    const result = player.play(mp3(feed(weather, { rate: 32_000 })))
    await until(() => player.getSnapshot().status === 'blocked', 'blocked')
    expect(player.getSnapshot()).toMatchObject({ engine: 'webaudio', error: { code: 'playback_blocked' } })
    if (browser === 'firefox') button.click()
    else await userEvent.click(button)
    await until(() => player.getSnapshot().status === 'playing', 'playing after the click')
    expect(await result).toBeUndefined()
    expect(player.getSnapshot().currentTime).toBeGreaterThan(64 * FRAME - 0.2)
    button.remove()
  })

  test('a context that starts after it was taken for refused plays on, no longer blocked, with no click', async () => {
    noGestureYet()
    // The context starts only once the player has said blocked: the order, whatever the machine's speed.
    let blocked!: () => void
    const saidBlocked = new Promise<void>((resolve) => {
      blocked = resolve
    })
    nextResume((start) => saidBlocked.then(start))
    const player = makePlayer()
    const seen = statuses(player)
    player.subscribe(() => {
      if (player.getSnapshot().status === 'blocked') blocked()
    })
    const result = player.play(mp3(feed(weather, { rate: 32_000 })))
    await saidBlocked
    await until(() => player.getSnapshot().status === 'playing', 'playing once the context started')
    expect(player.getSnapshot().error).toBeNull()
    expect(await result).toBeUndefined()
    expect(seen.slice(seen.indexOf('blocked'))).toEqual(['blocked', 'playing', 'done'])
  })

  test('a type no engine plays is unsupported_playback, and its stream is cancelled', async () => {
    const fed = feed(weather)
    const result = await makePlayer().play({ mimeType: 'application/x-nothing', body: fed.stream })
    expect(result?.code).toBe('unsupported_playback')
    await until(() => fed.cancelled, 'cancel')
  })
})

describe(`other formats in ${browser}`, () => {
  test('a WAV stream plays progressively through webaudio', async () => {
    const fed = feed(kitchenWav, { chunk: 1001 })
    const player = makePlayer()
    const opened = heard(player)
    let audibleWhileArriving = false
    player.subscribe(() => {
      if (player.getSnapshot().currentTime > 0 && !fed.finished) audibleWhileArriving = true
    })
    const body = heldAfter(fed.stream, kitchenWav.length / 2, opened)
    expect(await player.play({ mimeType: 'audio/wav', body })).toBeUndefined()
    expect(player.getSnapshot().engine).toBe('webaudio')
    expect(audibleWhileArriving).toBe(true)
    const seconds = (kitchenWav.length - 44) / 32_000
    expect(player.getSnapshot().currentTime).toBeGreaterThan(seconds - 0.1)
    expect(player.getSnapshot().currentTime).toBeLessThan(seconds + 0.1)
  })

  test('raw PCM with its rate in the type plays through webaudio', async () => {
    const raw = kitchenWav.subarray(44)
    const player = makePlayer({ playbackRate: 2 })
    const result = await player.play({ mimeType: 'audio/pcm;rate=16000;channels=1', body: feed(raw).stream })
    expect(result).toBeUndefined()
    expect(player.getSnapshot().currentTime).toBeCloseTo(raw.length / 32_000, 1)
  })

  test('blob: the last resort plays the whole file, and a dropped stream still fails', async () => {
    const player = makePlayer({ engines: ['blob'], playbackRate: 2 })
    expect(await player.play(mp3(feed(weather)))).toBeUndefined()
    expect(player.getSnapshot().engine).toBe('blob')
    expect(player.getSnapshot().currentTime).toBeGreaterThan(1.5)
    const result = await player.play(mp3(feed(kitchen, { stopAfter: 8000 })))
    expect(result?.code).toBe('playback_failed')
    expect(player.getSnapshot().currentTime).toBeGreaterThan(0.8)
  })
})

describe(`against the local speech server in ${browser}`, () => {
  const story = 'The first sentence is short. Here comes the second one. And this is the third, a little longer.'

  /**
   * A Dify request through the proxy; `tap` follows its body (bytes, whether still arriving). With `holdAfter`,
   * the body is held after that many bytes until `open` settles.
   */
  function difySpeech(fault: string, hold?: { after: number; open: Promise<void> }) {
    const dify = createDifyTransport({
      baseUrl: `${inject('voiceBaseUrl')}/dify`,
      headers: { 'x-speech-fault': fault },
    })
    const tap = { arriving: true, received: [] as Uint8Array[] }
    const source: AudioSource = async (signal) => {
      const audio = await dify.speak!(story, { signal })
      let passed = 0
      const watch = new TransformStream<Uint8Array, Uint8Array>({
        async transform(chunk, controller) {
          if (hold && passed >= hold.after) await hold.open
          passed += chunk.length
          tap.received.push(chunk)
          controller.enqueue(chunk)
        },
        flush() {
          tap.arriving = false
        },
      })
      return { mimeType: audio.mimeType, body: audio.body.pipeThrough(watch) }
    }
    return { source, tap }
  }

  test(`playback starts before the stream ends (${mp3Engine}, rate=16000)`, async () => {
    const player = makePlayer()
    const { source, tap } = difySpeech('rate=16000', { after: 16_000, open: heard(player) })
    let audibleWhileArriving = false
    player.subscribe(() => {
      if (player.getSnapshot().currentTime > 0 && tap.arriving) audibleWhileArriving = true
    })
    expect(await player.play(source)).toBeUndefined()
    const state = player.getSnapshot()
    expect(state.engine).toBe(mp3Engine)
    expect(audibleWhileArriving).toBe(true)
    // Several sentences, one MP3 file each, all heard.
    const splitter = createMp3Splitter()
    const seconds = framesDuration([...splitter.push(concat(tap.received)), ...splitter.end().frames])
    expect(seconds).toBeGreaterThan(3)
    expect(state.currentTime).toBeGreaterThan(seconds - 0.3)
    console.info(
      `[${browser} ${state.engine} speech server] firstByteMs=${state.firstByteMs} firstAudioMs=${state.firstAudioMs}`,
    )
  })

  test('a connection dropped mid-stream (drop-after) is playback_failed, after what arrived has played', async () => {
    const { source, tap } = difySpeech('rate=32000; drop-after=24000')
    const player = makePlayer()
    const seen = statuses(player)
    const result = await player.play(source)
    expect(result?.code).toBe('playback_failed')
    expect(seen).toContain('playing')
    const splitter = createMp3Splitter()
    const seconds = framesDuration(splitter.push(concat(tap.received)))
    expect(seconds).toBeGreaterThan(1)
    expect(player.getSnapshot().currentTime).toBeGreaterThan(seconds - 0.3)
  })

  test('a body that is not audio (garbage) is playback_failed, with nothing played', async () => {
    const { source } = difySpeech('garbage')
    const player = makePlayer()
    expect((await player.play(source))?.code).toBe('playback_failed')
    expect(player.getSnapshot().firstAudioMs).toBeNull()
  })
})
