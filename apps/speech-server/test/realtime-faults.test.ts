// Faults for real-time sockets, armed server-side with POST /_faults/realtime (a browser's WebSocket cannot send the
// x-speech-fault header): each applies to the next socket(s), only when the server was started with faults on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './helpers.ts'
import { fixtureAudio, RealtimeClient, silence, stream } from './realtime-helpers.ts'

const TIMEOUT = 90_000

let server: TestServer
let plain: TestServer
beforeAll(async () => {
  server = await startTestServer({ faults: true })
  plain = await startTestServer({ faults: false })
})
afterEach(async () => {
  await fetch(`${server.url}/_faults/realtime`, { method: 'DELETE' })
})
afterAll(async () => {
  await server.close()
  await plain.close()
})

const arm = async (body: unknown, target = server) => {
  const response = await fetch(`${target.url}/_faults/realtime`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
const ws = (path: string) => `${server.url.replace(/^http/, 'ws')}${path}`
const openai = () =>
  RealtimeClient.connect(ws('/openai/v1/realtime?intent=transcription'), {
    headers: { Authorization: `Bearer ${server.apiKey}` },
  })
const elevenlabs = () =>
  RealtimeClient.connect(
    ws('/elevenlabs/v1/speech-to-text/realtime?model_id=scribe_v2_realtime&audio_format=pcm_16000'),
    {
      headers: { 'xi-api-key': server.apiKey },
    },
  )
const append = (audio: string) => ({ type: 'input_audio_buffer.append', audio })
const chunk = (audio_base_64: string) => ({ message_type: 'input_audio_chunk', audio_base_64, commit: false })
/** The server's events for the socket whose session started with `firstMessage` (matched by the open event). */
const eventsOf = (id: number) => server.events.filter((e) => 'id' in e && e.id === id)
const lastOpen = () => {
  const open = server.events.filter((e) => e.type === 'realtime-open').at(-1)
  if (!open) throw new Error('no socket opened')
  return open.id
}

/** Opens, sees the first event, closes itself: the socket had no fault. */
async function unharmed(connect: () => Promise<RealtimeClient>) {
  const client = await connect()
  await client.next(() => true)
  return client.close()
}

describe('arming', () => {
  it('is there only with faults on', async () => {
    expect((await arm({ close: { code: 4000 } }, plain)).status).toBe(404)
  })

  it('says what is wrong with a body', async () => {
    const error = async (body: unknown) => {
      const answer = await arm(body)
      expect(answer.status).toBe(400)
      return answer.body.error as string
    }
    expect(await error({ drop_after: 3 })).toContain('unknown drop_after')
    expect(await error({})).toContain('nothing to do')
    expect(await error('not json')).toContain('JSON object')
    expect(await error({ close: { code: 1006 } })).toContain('close.code')
    expect(await error({ drop_after_frames: -1 })).toContain('drop_after_frames')
    expect(await error({ delay_final_ms: 10, sockets: 0 })).toContain('sockets')
    expect(await error({ delay_final_ms: 10, provider: 'dify' })).toContain('provider')
    expect(await error({ error_event: 'boom' })).toContain('error_event')
    expect(await arm({ delay_final_ms: 10 })).toEqual({ status: 200, body: { armed: 1 } })
  })

  it(
    'DELETE disarms everything',
    async () => {
      await arm({ close: { code: 4000, reason: 'armed' } })
      await fetch(`${server.url}/_faults/realtime`, { method: 'DELETE' })
      expect(await unharmed(openai)).toEqual({ code: 1000, reason: '' })
    },
    TIMEOUT,
  )
})

describe('faults', () => {
  it(
    'drop_after_frames: the connection drops after that many audio frames, without a close frame',
    async () => {
      await arm({ drop_after_frames: 3 })
      const client = await openai()
      await client.nextOf('session.created')
      await stream(client, silence(24_000, 1), { bytesPerSecond: 48_000, frame: append })
      expect(await client.closed).toEqual({ code: 1006, reason: '' })
      const events = eventsOf(lastOpen())
      expect(events.filter((e) => e.type === 'realtime-frame')).toHaveLength(3)
      expect(events).toContainEqual({ type: 'fault', id: lastOpen(), fault: 'drop_after_frames=3' })
      expect(events.at(-1)).toMatchObject({ type: 'realtime-close', code: 1006 })
    },
    TIMEOUT,
  )

  it(
    'error_event: the provider’s error event right after the session starts, the session still usable',
    async () => {
      await arm({ error_event: { code: 'rate_limit_exceeded', message: 'Slow down.' } })
      const client = await openai()
      const error = await client.nextOf('error')
      expect(client.indexOf(error)).toBe(1)
      expect(error).toEqual({
        type: 'error',
        event_id: expect.stringMatching(/^event_/),
        error: {
          type: 'server_error',
          code: 'rate_limit_exceeded',
          message: 'Slow down.',
          param: null,
          event_id: null,
        },
      })
      client.send({ type: 'session.update', session: { type: 'transcription' } })
      await client.nextOf('session.updated')
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'error_event with close after_frames: a fatal provider error part-way (ElevenLabs)',
    async () => {
      await arm({
        provider: 'elevenlabs',
        error_event: { message_type: 'quota_exceeded', error: 'Quota exceeded.' },
        close: { code: 4003, reason: 'quota' },
        after_frames: 2,
      })
      const client = await elevenlabs()
      await client.nextOf('session_started')
      await stream(client, silence(16_000, 1), { bytesPerSecond: 32_000, frame: chunk })
      expect(await client.closed).toEqual({ code: 4003, reason: 'quota' })
      expect(client.messages).toEqual([
        expect.objectContaining({ message_type: 'session_started' }),
        { message_type: 'quota_exceeded', error: 'Quota exceeded.' },
      ])
      expect(eventsOf(lastOpen()).filter((e) => e.type === 'realtime-frame')).toHaveLength(2)
    },
    TIMEOUT,
  )

  it(
    'close: the socket closes with that code and reason after its first event',
    async () => {
      await arm({ close: { code: 1011, reason: 'overloaded' } })
      const client = await openai()
      expect(await client.closed).toEqual({ code: 1011, reason: 'overloaded' })
      expect(client.types()).toEqual(['session.created'])
    },
    TIMEOUT,
  )

  it(
    'delay_final_ms: each final is held that long',
    async () => {
      await arm({ delay_final_ms: 1500 })
      const client = await openai()
      await client.nextOf('session.created')
      client.send({
        type: 'session.update',
        session: { type: 'transcription', audio: { input: { turn_detection: null } } },
      })
      await client.nextOf('session.updated')
      await stream(client, fixtureAudio('weather.wav', 24_000), { bytesPerSecond: 48_000, frame: append })
      client.send({ type: 'input_audio_buffer.commit' })
      const completed = await client.nextOf('conversation.item.input_audio_transcription.completed')
      expect(completed.transcript).toEqual(expect.any(String))
      const events = eventsOf(lastOpen())
      expect(events).toContainEqual({ type: 'fault', id: lastOpen(), fault: 'delay_final_ms=1500' })
      const commit = events.find((e) => e.type === 'realtime-commit')
      const final = events.find((e) => e.type === 'realtime-final')
      // A lower bound a timer guarantees (it never fires early), not a speed.
      expect(
        final!.type === 'realtime-final' && commit!.type === 'realtime-commit' && final!.at - commit!.at,
      ).toBeGreaterThanOrEqual(1490)
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'sockets and provider: the next K sockets of that protocol, no others',
    async () => {
      await arm({ provider: 'elevenlabs', close: { code: 4000, reason: 'armed' }, sockets: 2 })
      expect(await unharmed(openai)).toEqual({ code: 1000, reason: '' })
      for (let i = 0; i < 2; i++) expect(await (await elevenlabs()).closed).toEqual({ code: 4000, reason: 'armed' })
      expect(await unharmed(elevenlabs)).toEqual({ code: 1000, reason: '' })
    },
    TIMEOUT,
  )
})
