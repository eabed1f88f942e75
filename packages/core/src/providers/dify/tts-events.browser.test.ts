// A Dify chat reply's own speech (tts_message events) through the player, in each engine.
import { afterEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { createStreamingPlayer, type StreamingPlayer } from '../../playback'
import { feed, fetchBytes } from '../../playback/test-streams'
import { difyTtsAudio } from './tts-events'

const three = await fetchBytes(`${inject('fixturesUrl')}/speech/three-sentences.mp3`) // 188 frames, 4.911 s
const FRAME = 1152 / 44100

/** A Dify chat event stream whose audio is `mp3` in `parts` tts_message events (each part encoded alone). */
function chatReply(mp3: Uint8Array, parts: number): string {
  const size = Math.ceil(mp3.length / parts)
  const ids = '"task_id":"t","message_id":"m","conversation_id":"c","created_at":1'
  let out = `event: ping\n\ndata: {"event":"message",${ids},"answer":"Hi"}\n\n`
  for (let i = 0; i < mp3.length; i += size) {
    const audio = btoa(String.fromCharCode(...mp3.subarray(i, i + size)))
    out += `data: {"event":"tts_message",${ids},"audio":"${audio}"}\n\n`
  }
  return `${out}data: {"event":"message_end",${ids}}\n\ndata: {"event":"tts_message_end",${ids},"audio":""}\n\n`
}

let players: StreamingPlayer[] = []
afterEach(() => {
  for (const player of players) player.dispose()
  players = []
})
const makePlayer = () => {
  const player = createStreamingPlayer({ playbackRate: 2 })
  players.push(player)
  return player
}

describe(`Dify tts_message playback in ${server.browser}`, () => {
  test('a chat reply plays its speech to the end', async () => {
    const player = makePlayer()
    const text = new TextEncoder().encode(chatReply(three, 6))
    const result = await player.play(() => difyTtsAudio(feed(text, { rate: 64_000, chunk: 1500 }).stream))
    expect(result).toBeUndefined()
    expect(player.getSnapshot().currentTime).toBeGreaterThan(188 * FRAME - 0.3)
  })

  test('a reply cut inside its last tts_message ends in playback_failed after what arrived, never silence', async () => {
    const player = makePlayer()
    const whole = chatReply(three, 6)
    const last = whole.lastIndexOf('"event":"tts_message"')
    const text = new TextEncoder().encode(whole.slice(0, last + 200)) // inside the last event's base64
    const fed = feed(text, { rate: 64_000, chunk: 1500, stopWith: 'close' })
    const result = await player.play(() => difyTtsAudio(fed.stream))
    expect(result?.code).toBe('playback_failed')
    expect(result?.message).toMatch(/inside an event/)
    expect(player.getSnapshot().status).toBe('error')
    // Five of six parts arrived, about 4 s of audio: all of it was heard first.
    expect(player.getSnapshot().currentTime).toBeGreaterThan(3.5)
  })
})
