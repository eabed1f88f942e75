// OpenAI Realtime in transcription mode, over a real socket, recognised by real pocketsphinx: the wire format, both
// ways to authenticate, manual and VAD commits, interim deltas, errors, the limits, and processes released.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, waitFor } from './helpers.ts'
import { fixtureAudio, type Message, RealtimeClient, sharedWords, silence, stream } from './realtime-helpers.ts'

const KITCHEN = 'please turn on the kitchen lights'
const WEATHER = 'what is the weather like today'
const THREE = 'The first sentence is short. Here comes the second one. And this is the third.'
const RATE = 24_000
const PATH = '/openai/v1/realtime?intent=transcription'
const TIMEOUT = 90_000

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const wsUrl = (target: TestServer, path = PATH) => `${target.url.replace(/^http/, 'ws')}${path}`
const connect = (target = server, headers: Record<string, string> = { Authorization: `Bearer ${target.apiKey}` }) =>
  RealtimeClient.connect(wsUrl(target), { headers })
const append = (audio: string) => ({ type: 'input_audio_buffer.append', audio })
const send = (client: RealtimeClient, audio: Buffer, realTime = false) =>
  stream(client, audio, { bytesPerSecond: RATE * 2, frame: append, realTime })
const manual = {
  type: 'session.update',
  session: { type: 'transcription', audio: { input: { turn_detection: null } } },
}

/** A session with manual commits, once session.updated says so. */
async function manualSession(target = server) {
  const client = await connect(target)
  await client.nextOf('session.created')
  client.send(manual)
  await client.nextOf('session.updated')
  return client
}

describe('session', () => {
  it(
    'opens with session.created (the transcription session object), and session.update answers session.updated',
    async () => {
      const client = await connect()
      const created = await client.nextOf('session.created')
      expect(client.ws.protocol).toBe('')
      expect(created).toEqual({
        type: 'session.created',
        event_id: expect.stringMatching(/^event_/),
        session: {
          type: 'transcription',
          object: 'realtime.transcription_session',
          id: expect.stringMatching(/^sess_/),
          expires_at: expect.any(Number),
          include: null,
          audio: {
            input: {
              format: { type: 'audio/pcm', rate: 24000 },
              transcription: { model: 'gpt-4o-transcribe', language: null, prompt: '' },
              noise_reduction: null,
              turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
            },
          },
        },
      })
      client.send({
        type: 'session.update',
        session: {
          type: 'transcription',
          audio: {
            input: {
              format: { type: 'audio/pcm', rate: 24000 },
              transcription: { model: 'whisper-1', language: 'en', prompt: 'lights' },
              noise_reduction: { type: 'near_field' },
              turn_detection: { type: 'server_vad', threshold: 0.6, silence_duration_ms: 700 },
            },
          },
        },
      })
      const updated = await client.nextOf('session.updated')
      expect(updated.event_id).toMatch(/^event_/)
      expect(updated.session.id).toBe(created.session.id)
      expect(updated.session.audio.input).toEqual({
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: { model: 'whisper-1', language: 'en', prompt: 'lights' },
        noise_reduction: { type: 'near_field' },
        turn_detection: { type: 'server_vad', threshold: 0.6, prefix_padding_ms: 300, silence_duration_ms: 700 },
      })
      client.send(manual)
      expect(
        (await client.nextOf('session.updated', client.indexOf(updated) + 1)).session.audio.input.turn_detection,
      ).toBe(null)
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'answers a bad event with an error event and stays usable',
    async () => {
      const client = await manualSession()
      const errorAfter = async (event: string | object) => {
        const from = client.messages.length
        if (typeof event === 'string') client.sendRaw(event)
        else client.send(event)
        return (await client.nextOf('error', from)).error as Message
      }
      expect(await errorAfter('{not json')).toMatchObject({
        type: 'invalid_request_error',
        code: 'invalid_json',
        param: null,
      })
      expect(await errorAfter({ type: 'response.create', event_id: 'evt_1' })).toMatchObject({
        type: 'invalid_request_error',
        code: 'invalid_value',
        param: 'type',
        event_id: 'evt_1',
        message: expect.stringContaining('input_audio_buffer.append'),
      })
      expect(await errorAfter(append('%%% not base64'))).toMatchObject({ code: 'invalid_value', param: 'audio' })
      expect(await errorAfter(append('AAEC'))).toMatchObject({ code: 'invalid_value', param: 'audio' })
      expect(await errorAfter({ type: 'input_audio_buffer.append' })).toMatchObject({
        code: 'missing_required_parameter',
        param: 'audio',
      })
      expect(
        await errorAfter({
          type: 'session.update',
          session: { type: 'transcription', audio: { input: { turn_detection: { type: 'semantic_vad' } } } },
        }),
      ).toMatchObject({ code: 'invalid_value', param: 'session.audio.input.turn_detection.type' })
      expect(
        await errorAfter({
          type: 'session.update',
          session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } } },
        }),
      ).toMatchObject({ code: 'invalid_value', param: 'session.audio.input.format.rate' })
      expect(await errorAfter({ type: 'session.update', session: { type: 'realtime' } })).toMatchObject({
        param: 'session.type',
      })
      expect(await errorAfter({ type: 'session.update', session: { instructions: 'be brief' } })).toMatchObject({
        code: 'unknown_parameter',
        param: 'session.instructions',
      })
      const from = client.messages.length
      client.sendRaw(Buffer.from([1, 2, 3]), true)
      expect((await client.nextOf('error', from)).error.code).toBe('invalid_value')
      // Still usable, and the rejected update changed nothing.
      client.send({ type: 'session.update', session: { type: 'transcription' } })
      expect((await client.nextOf('session.updated', from)).session.audio.input.turn_detection).toBe(null)
      await client.close()
    },
    TIMEOUT,
  )
})

describe('manual commits', () => {
  it(
    'commit → committed, then deltas that add up to the completed transcript, the next item chained to it',
    async () => {
      const client = await manualSession()
      await send(client, fixtureAudio('kitchen-lights.wav', RATE))
      client.send({ type: 'input_audio_buffer.commit' })
      const committed = await client.nextOf('input_audio_buffer.committed')
      expect(committed).toEqual({
        type: 'input_audio_buffer.committed',
        event_id: expect.stringMatching(/^event_/),
        previous_item_id: null,
        item_id: expect.stringMatching(/^item_/),
      })
      const item = committed.item_id as string
      const completed = await client.nextOf('conversation.item.input_audio_transcription.completed')
      expect(completed).toEqual({
        type: 'conversation.item.input_audio_transcription.completed',
        event_id: expect.stringMatching(/^event_/),
        item_id: item,
        content_index: 0,
        transcript: expect.any(String),
        usage: { type: 'duration', seconds: 3 },
      })
      expect(sharedWords(KITCHEN, completed.transcript)).toBeGreaterThanOrEqual(0.8)
      const deltas = client.messages.filter((m) => m.type === 'conversation.item.input_audio_transcription.delta')
      expect(deltas.length).toBeGreaterThan(0)
      for (const delta of deltas) {
        expect(delta).toEqual({
          type: 'conversation.item.input_audio_transcription.delta',
          event_id: expect.stringMatching(/^event_/),
          item_id: item,
          content_index: 0,
          delta: expect.any(String),
        })
        expect(client.indexOf(delta)).toBeGreaterThan(client.indexOf(committed))
        expect(client.indexOf(delta)).toBeLessThan(client.indexOf(completed))
      }
      expect(deltas.map((d) => d.delta).join('')).toBe(completed.transcript)

      const from = client.messages.length
      await send(client, fixtureAudio('weather.wav', RATE))
      client.send({ type: 'input_audio_buffer.commit' })
      const second = await client.nextOf('input_audio_buffer.committed', from)
      expect(second.previous_item_id).toBe(item)
      const done = await client.next(
        (m) => m.type === 'conversation.item.input_audio_transcription.completed' && m.item_id === second.item_id,
      )
      expect(sharedWords(WEATHER, done.transcript)).toBeGreaterThanOrEqual(0.8)
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'refuses to commit less than 100 ms (input_audio_buffer_commit_empty) and keeps what was buffered',
    async () => {
      const client = await manualSession()
      client.send({ type: 'input_audio_buffer.commit' })
      const empty = await client.nextOf('error')
      expect(empty.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'input_audio_buffer_commit_empty',
        message: expect.stringContaining('100ms'),
      })
      const from = client.messages.length
      await send(client, silence(RATE, 0.05))
      client.send({ type: 'input_audio_buffer.commit' })
      expect((await client.nextOf('error', from)).error.code).toBe('input_audio_buffer_commit_empty')
      await send(client, fixtureAudio('weather.wav', RATE))
      client.send({ type: 'input_audio_buffer.commit' })
      const completed = await client.nextOf('conversation.item.input_audio_transcription.completed')
      expect(sharedWords(WEATHER, completed.transcript)).toBeGreaterThanOrEqual(0.8)
      expect(client.types().filter((t) => t === 'input_audio_buffer.committed')).toHaveLength(1)
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'clear → cleared, and the cleared audio is not transcribed',
    async () => {
      const client = await manualSession()
      await send(client, fixtureAudio('kitchen-lights.wav', RATE))
      client.send({ type: 'input_audio_buffer.clear' })
      expect(await client.nextOf('input_audio_buffer.cleared')).toEqual({
        type: 'input_audio_buffer.cleared',
        event_id: expect.stringMatching(/^event_/),
      })
      await send(client, fixtureAudio('weather.wav', RATE))
      client.send({ type: 'input_audio_buffer.commit' })
      const completed = await client.nextOf('conversation.item.input_audio_transcription.completed')
      expect(sharedWords(WEATHER, completed.transcript)).toBeGreaterThanOrEqual(0.8)
      expect(sharedWords('kitchen lights', completed.transcript)).toBe(0)
      await client.close()
    },
    TIMEOUT,
  )
})

describe('server_vad', () => {
  it(
    'speech_started, interim deltas while speech arrives, speech_stopped, the automatic commit, completed',
    async () => {
      const client = await connect()
      await client.nextOf('session.created')
      client.send({
        type: 'session.update',
        session: { type: 'transcription', audio: { input: { turn_detection: { type: 'server_vad' } } } },
      })
      await client.nextOf('session.updated')
      await send(client, silence(RATE, 0.4), true)
      await send(client, fixtureAudio('three-sentences.wav', RATE), true)
      const started = await client.nextOf('input_audio_buffer.speech_started')
      expect(started).toEqual({
        type: 'input_audio_buffer.speech_started',
        event_id: expect.stringMatching(/^event_/),
        audio_start_ms: expect.any(Number),
        item_id: expect.stringMatching(/^item_/),
      })
      const item = started.item_id as string
      // The VAD runs on the audio, not the clock: while no more audio comes, the turn stays open.
      const interim = await client.next((m) => m.type === 'conversation.item.input_audio_transcription.delta')
      expect(interim.item_id).toBe(item)
      expect(client.types()).not.toContain('input_audio_buffer.speech_stopped')
      await send(client, silence(RATE, 1), true)
      const stopped = await client.nextOf('input_audio_buffer.speech_stopped')
      expect(stopped).toEqual({
        type: 'input_audio_buffer.speech_stopped',
        event_id: expect.stringMatching(/^event_/),
        audio_end_ms: expect.any(Number),
        item_id: item,
      })
      // The fixture's speech starts 0.18 s in; the turn begins up to prefix_padding_ms (300) before it.
      expect(started.audio_start_ms).toBeGreaterThanOrEqual(200)
      expect(started.audio_start_ms).toBeLessThanOrEqual(600)
      expect(stopped.audio_end_ms).toBeGreaterThan(started.audio_start_ms + 4000)
      const committed = await client.nextOf('input_audio_buffer.committed')
      expect(committed).toMatchObject({ item_id: item, previous_item_id: null })
      const completed = await client.nextOf('conversation.item.input_audio_transcription.completed')
      expect(completed.item_id).toBe(item)
      expect(sharedWords(THREE, completed.transcript)).toBeGreaterThanOrEqual(0.7)
      const order = [started, interim, stopped, committed, completed].map((m) => client.indexOf(m))
      expect(order).toEqual([...order].sort((a, b) => a - b))
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'two turns: two items, the second chained to the first',
    async () => {
      const client = await connect()
      await client.nextOf('session.created')
      await send(client, fixtureAudio('kitchen-lights.wav', RATE))
      await send(client, silence(RATE, 1))
      await send(client, fixtureAudio('weather.wav', RATE))
      await send(client, silence(RATE, 1))
      const first = await client.nextOf('input_audio_buffer.committed')
      const second = await client.nextOf('input_audio_buffer.committed', client.indexOf(first) + 1)
      expect(second.previous_item_id).toBe(first.item_id)
      const transcript = async (item: string) =>
        (
          await client.next(
            (m) => m.type === 'conversation.item.input_audio_transcription.completed' && m.item_id === item,
          )
        ).transcript as string
      expect(sharedWords(KITCHEN, await transcript(first.item_id))).toBeGreaterThanOrEqual(0.8)
      expect(sharedWords(WEATHER, await transcript(second.item_id))).toBeGreaterThanOrEqual(0.8)
      expect(client.types().filter((t) => t === 'input_audio_buffer.speech_started')).toHaveLength(2)
      await client.close()
    },
    TIMEOUT,
  )
})

describe('authentication', () => {
  it('refuses a wrong or missing key before the upgrade, with OpenAI’s 401', async () => {
    expect(await RealtimeClient.refusal(wsUrl(server), { headers: { Authorization: 'Bearer nope' } })).toEqual({
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    })
    const missing = await RealtimeClient.refusal(wsUrl(server))
    expect(missing.status).toBe(401)
    expect(JSON.stringify(missing.body)).toContain('Authorization')
    const protocol = await RealtimeClient.refusal(wsUrl(server), {
      protocols: ['realtime', 'openai-insecure-api-key.nope'],
    })
    expect(protocol.status).toBe(401)
  })

  it('refuses a path or query it does not speak', async () => {
    const headers = { Authorization: `Bearer ${server.apiKey}` }
    expect((await RealtimeClient.refusal(wsUrl(server, '/openai/v1/realtime'), { headers })).status).toBe(400)
    expect(
      (await RealtimeClient.refusal(wsUrl(server, '/openai/v1/realtime?model=gpt-realtime'), { headers })).status,
    ).toBe(400)
    expect(
      (await RealtimeClient.refusal(wsUrl(server, '/openai/v1/realtimes?intent=transcription'), { headers })).status,
    ).toBe(404)
    expect((await RealtimeClient.refusal(wsUrl(server, '/nowhere'), { headers })).status).toBe(404)
  })

  it(
    'takes the key in the subprotocols, echoing only "realtime"',
    async () => {
      const client = await RealtimeClient.connect(wsUrl(server), {
        protocols: ['realtime', `openai-insecure-api-key.${server.apiKey}`],
      })
      expect(client.ws.protocol).toBe('realtime')
      await client.nextOf('session.created')
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'mints an ephemeral client secret whose session configuration the socket opens with',
    async () => {
      const response = await server.post('/openai/v1/realtime/client_secrets', {
        body: JSON.stringify({
          expires_after: { anchor: 'created_at', seconds: 120 },
          session: {
            type: 'transcription',
            audio: { input: { transcription: { model: 'whisper-1', language: 'en' }, turn_detection: null } },
          },
        }),
        headers: { 'Content-Type': 'application/json' },
      })
      expect(response.status).toBe(200)
      const secret = (await response.json()) as Message
      expect(secret).toEqual({
        value: expect.stringMatching(/^ek_/),
        expires_at: expect.any(Number),
        session: expect.objectContaining({ type: 'transcription', object: 'realtime.transcription_session' }),
      })
      expect(secret.expires_at - Date.now() / 1000).toBeGreaterThan(100)
      expect(secret.expires_at - Date.now() / 1000).toBeLessThanOrEqual(120)
      expect(secret.session.audio.input.turn_detection).toBe(null)
      const client = await RealtimeClient.connect(wsUrl(server), {
        protocols: ['realtime', `openai-insecure-api-key.${secret.value}`],
      })
      expect(client.ws.protocol).toBe('realtime')
      const created = await client.nextOf('session.created')
      expect(created.session.audio.input.turn_detection).toBe(null)
      expect(created.session.audio.input.transcription).toEqual({ model: 'whisper-1', language: 'en', prompt: '' })
      await client.close()
    },
    TIMEOUT,
  )

  it('validates the client secret request', async () => {
    const mint = async (body: unknown, auth?: string | null) => {
      const response = await server.post('/openai/v1/realtime/client_secrets', {
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
        ...(auth !== undefined && { auth }),
      })
      return { status: response.status, body: (await response.json()) as Message }
    }
    expect((await mint({ expires_after: { anchor: 'created_at', seconds: 5 } })).body.error).toMatchObject({
      param: 'expires_after.seconds',
      code: 'invalid_value',
    })
    expect((await mint({ expires_after: { anchor: 'created_at', seconds: 7201 } })).status).toBe(400)
    expect((await mint({ expires_after: { anchor: 'expires_at', seconds: 60 } })).body.error.param).toBe(
      'expires_after.anchor',
    )
    expect((await mint({ session: { type: 'realtime' } })).body.error.param).toBe('session.type')
    expect((await mint({ session: {} })).body.error.param).toBe('session.type')
    expect((await mint({}, 'wrong')).status).toBe(401)
    const fine = await mint({})
    expect(fine.status).toBe(200)
    expect(fine.body.expires_at - Date.now() / 1000).toBeGreaterThan(590)
  })

  it(
    'an expired client secret opens no new session; a session it opened before stays open',
    async () => {
      let now = Date.now()
      const clocked = await startTestServer({ realtime: { now: () => now } })
      try {
        const response = await clocked.post('/openai/v1/realtime/client_secrets', {
          body: JSON.stringify({ expires_after: { anchor: 'created_at', seconds: 10 } }),
        })
        const { value } = (await response.json()) as { value: string }
        const protocols = ['realtime', `openai-insecure-api-key.${value}`]
        const early = await RealtimeClient.connect(wsUrl(clocked), { protocols })
        await early.nextOf('session.created')
        now += 11_000
        expect((await RealtimeClient.refusal(wsUrl(clocked), { protocols })).status).toBe(401)
        early.send(manual)
        await early.nextOf('session.updated')
        await early.close()
      } finally {
        await clocked.close()
      }
    },
    TIMEOUT,
  )
})

describe('limits', () => {
  it(
    'a frame over the size limit: error, then close 1009',
    async () => {
      const small = await startTestServer({ realtime: { maxFrameBytes: 4096 } })
      try {
        const client = await connect(small)
        await client.nextOf('session.created')
        client.send(append(silence(RATE, 0.2).toString('base64')))
        const error = await client.nextOf('error')
        expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'message_too_large' })
        expect(await client.closed).toEqual({ code: 1009, reason: 'message too big' })
      } finally {
        await small.close()
      }
    },
    TIMEOUT,
  )

  it(
    'a session over the time limit: session_expired, then close 1001',
    async () => {
      const short = await startTestServer({ realtime: { maxSessionMs: 1500 } })
      try {
        const client = await connect(short)
        await client.nextOf('session.created')
        const expired = await client.nextOf('error')
        expect(expired.error).toMatchObject({ type: 'invalid_request_error', code: 'session_expired' })
        expect((await client.closed).code).toBe(1001)
      } finally {
        await short.close()
      }
    },
    TIMEOUT,
  )

  it(
    'a session switched to manual commits loads no interim decoder, and every process ends when its socket closes',
    async () => {
      const own = await startTestServer()
      try {
        const client = await manualSession(own)
        await send(client, fixtureAudio('kitchen-lights.wav', RATE))
        client.send({ type: 'input_audio_buffer.commit' })
        await client.nextOf('conversation.item.input_audio_transcription.completed')
        // The spare final decoder for the next utterance, and nothing else.
        expect(own.realtimeProcesses()).toBe(1)
        expect(own.realtimeSessions()).toBe(1)
        await client.close()
        expect(await waitFor(() => own.realtimeProcesses() === 0 && own.realtimeSessions() === 0, 10_000)).toBe(true)
        const events = own.events.filter((e) => e.type.startsWith('realtime-')).map((e) => e.type)
        expect(events[0]).toBe('realtime-open')
        expect(events).toContain('realtime-frame')
        expect(events).toContain('realtime-commit')
        expect(events).toContain('realtime-final')
        expect(events.at(-1)).toBe('realtime-close')
      } finally {
        await own.close()
      }
    },
    TIMEOUT,
  )
})

describe('pocketsphinx missing', () => {
  it('refuses the upgrade with the provider’s 500, naming the packages', async () => {
    const missing = await startTestServer({ stt: { pocketsphinx: '/nonexistent/bin/pocketsphinx_continuous' } })
    try {
      const openai = await RealtimeClient.refusal(wsUrl(missing), {
        headers: { Authorization: `Bearer ${missing.apiKey}` },
      })
      expect(openai).toEqual({
        status: 500,
        body: {
          error: {
            message: expect.stringContaining('pocketsphinx pocketsphinx-en-us'),
            type: 'server_error',
            param: null,
            code: null,
          },
        },
      })
      const scribe = await RealtimeClient.refusal(
        wsUrl(missing, '/elevenlabs/v1/speech-to-text/realtime?model_id=scribe_v2_realtime'),
        { headers: { 'xi-api-key': missing.apiKey } },
      )
      expect(scribe).toEqual({
        status: 500,
        body: { detail: { status: 'internal_server_error', message: expect.stringContaining('pocketsphinx') } },
      })
      expect(missing.realtimeProcesses()).toBe(0)
    } finally {
      await missing.close()
    }
  })
})
