// ElevenLabs Scribe realtime over a real socket, recognised by real pocketsphinx: the wire format, the key header and
// single-use tokens, manual and VAD commits, partials, timestamps on the session clock, audio formats, errors, limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './helpers.ts'
import { fixtureAudio, type Message, RealtimeClient, sharedWords, silence, stream } from './realtime-helpers.ts'

const KITCHEN = 'please turn on the kitchen lights'
const WEATHER = 'what is the weather like today'
const TIMEOUT = 90_000

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const wsUrl = (query: string, target = server) =>
  `${target.url.replace(/^http/, 'ws')}/elevenlabs/v1/speech-to-text/realtime?model_id=scribe_v2_realtime&${query}`
const connect = (query = 'audio_format=pcm_16000', target = server) =>
  RealtimeClient.connect(wsUrl(query, target), { headers: { 'xi-api-key': target.apiKey } })
const chunk = (rate: number) => (audio_base_64: string) => ({
  message_type: 'input_audio_chunk',
  audio_base_64,
  commit: false,
  sample_rate: rate,
})
const commit = (rate = 16_000) => ({
  message_type: 'input_audio_chunk',
  audio_base_64: '',
  commit: true,
  sample_rate: rate,
})
const send = (client: RealtimeClient, audio: Buffer, rate = 16_000, realTime = false) =>
  stream(client, audio, { bytesPerSecond: rate * 2, frame: chunk(rate), realTime })

describe('session', () => {
  it(
    'opens with session_started and its config',
    async () => {
      const client = await connect(
        'audio_format=pcm_16000&commit_strategy=vad&vad_silence_threshold_secs=0.8&language_code=en&include_timestamps=true',
      )
      expect(await client.nextOf('session_started')).toEqual({
        message_type: 'session_started',
        session_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        config: {
          sample_rate: 16000,
          audio_format: 'pcm_16000',
          language_code: 'en',
          model_id: 'scribe_v2_realtime',
          commit_strategy: 'vad',
          vad_silence_threshold_secs: 0.8,
          vad_threshold: 0.4,
          min_speech_duration_ms: 100,
          min_silence_duration_ms: 100,
          include_timestamps: true,
        },
      })
      await client.close()
    },
    TIMEOUT,
  )

  it('refuses a query it cannot honour before the upgrade, with a 422 in ElevenLabs’ validation shape', async () => {
    const headers = { 'xi-api-key': server.apiKey }
    const refusal = (query: string) => RealtimeClient.refusal(wsUrl(query), { headers })
    expect(await refusal('audio_format=mp3_44100')).toEqual({
      status: 422,
      body: { detail: [{ type: 'enum', loc: ['query', 'audio_format'], msg: expect.any(String), input: null }] },
    })
    expect((await refusal('commit_strategy=sometimes')).status).toBe(422)
    expect((await refusal('vad_silence_threshold_secs=9')).status).toBe(422)
    expect((await refusal('include_timestamps=yes')).status).toBe(422)
    const noModel = `${server.url.replace(/^http/, 'ws')}/elevenlabs/v1/speech-to-text/realtime?audio_format=pcm_16000`
    expect((await RealtimeClient.refusal(noModel, { headers })).body).toMatchObject({
      detail: [{ type: 'missing', loc: ['query', 'model_id'] }],
    })
  })

  it(
    'answers a bad message with input_error and stays usable',
    async () => {
      const client = await connect()
      await client.nextOf('session_started')
      const errorAfter = async (message: string | object) => {
        const from = client.messages.length
        if (typeof message === 'string') client.sendRaw(message)
        else client.send(message)
        return client.next((m) => m.message_type !== 'session_started', from)
      }
      expect(await errorAfter('nope')).toEqual({ message_type: 'input_error', error: expect.any(String) })
      expect((await errorAfter({ message_type: 'commit' })).message_type).toBe('input_error')
      expect((await errorAfter({ message_type: 'input_audio_chunk', audio_base_64: '***' })).message_type).toBe(
        'input_error',
      )
      expect((await errorAfter({ message_type: 'input_audio_chunk', audio_base_64: 'AAEC' })).message_type).toBe(
        'input_error',
      )
      const mismatch = await errorAfter({ message_type: 'input_audio_chunk', audio_base_64: '', sample_rate: 48000 })
      expect(mismatch).toEqual({ message_type: 'input_error', error: expect.stringContaining('pcm_16000') })
      await send(client, fixtureAudio('weather.wav', 16_000))
      client.send(commit())
      const committed = await client.nextOf('committed_transcript')
      expect(sharedWords(WEATHER, committed.text)).toBeGreaterThanOrEqual(0.8)
      await client.close()
    },
    TIMEOUT,
  )
})

describe('transcripts', () => {
  it(
    'partial_transcript while audio arrives, committed_transcript at the commit, then the words with times',
    async () => {
      const client = await connect('audio_format=pcm_16000&include_timestamps=true&language_code=en')
      await client.nextOf('session_started')
      const weather = fixtureAudio('weather.wav', 16_000)
      await send(client, weather, 16_000, true)
      const partial = await client.nextOf('partial_transcript')
      expect(partial).toEqual({ message_type: 'partial_transcript', text: expect.any(String) })
      client.send(commit())
      const committed = await client.nextOf('committed_transcript')
      expect(committed).toEqual({ message_type: 'committed_transcript', text: expect.any(String) })
      expect(sharedWords(WEATHER, committed.text)).toBeGreaterThanOrEqual(0.8)
      const timed = await client.nextOf('committed_transcript_with_timestamps')
      expect(client.indexOf(partial)).toBeLessThan(client.indexOf(committed))
      expect(client.indexOf(committed)).toBeLessThan(client.indexOf(timed))
      expect(timed).toEqual({
        message_type: 'committed_transcript_with_timestamps',
        text: committed.text,
        language_code: 'en',
        words: expect.any(Array),
      })
      const words = timed.words as Message[]
      expect(words.filter((w) => w.type === 'word').map((w) => w.text)).toEqual(committed.text.split(' '))
      for (const [i, word] of words.entries()) {
        expect(Object.keys(word).sort()).toEqual(['end', 'start', 'text', 'type'])
        expect(word.type).toBe(i % 2 === 0 ? 'word' : 'spacing')
        if (word.type === 'spacing') expect(word.text).toBe(' ')
        expect(word.end).toBeGreaterThanOrEqual(word.start)
        if (i > 0) expect(word.start).toBeGreaterThanOrEqual(words[i - 1]!.end)
      }
      const duration = weather.length / 2 / 16_000
      expect(words.at(-1)!.end).toBeLessThanOrEqual(duration + 0.05)

      // The second segment's times are on the session's clock: after the first segment's audio.
      const from = client.messages.length
      await send(client, fixtureAudio('kitchen-lights.wav', 16_000))
      client.send(commit())
      const second = await client.nextOf('committed_transcript_with_timestamps', from)
      expect(sharedWords(KITCHEN, second.text)).toBeGreaterThanOrEqual(0.8)
      expect(second.words[0].start).toBeGreaterThanOrEqual(duration)
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'commit_strategy=vad commits by itself at a pause, one committed_transcript per turn',
    async () => {
      const client = await connect('audio_format=pcm_16000&commit_strategy=vad&vad_silence_threshold_secs=0.5')
      await client.nextOf('session_started')
      await send(client, fixtureAudio('kitchen-lights.wav', 16_000))
      await send(client, silence(16_000, 1))
      await send(client, fixtureAudio('weather.wav', 16_000))
      await send(client, silence(16_000, 1))
      const first = await client.nextOf('committed_transcript')
      const second = await client.nextOf('committed_transcript', client.indexOf(first) + 1)
      expect(sharedWords(KITCHEN, first.text)).toBeGreaterThanOrEqual(0.8)
      expect(sharedWords(WEATHER, second.text)).toBeGreaterThanOrEqual(0.8)
      expect(client.types()).not.toContain('committed_transcript_with_timestamps')
      await client.close()
    },
    TIMEOUT,
  )

  it(
    'a commit with nothing buffered commits an empty transcript',
    async () => {
      const client = await connect()
      await client.nextOf('session_started')
      client.send(commit())
      expect(await client.nextOf('committed_transcript')).toEqual({ message_type: 'committed_transcript', text: '' })
      await client.close()
    },
    TIMEOUT,
  )

  it.each([
    ['pcm_48000', 48_000],
    ['pcm_22050', 22_050],
  ] as const)(
    '%s is resampled for recognition',
    async (format, rate) => {
      const client = await connect(`audio_format=${format}`)
      expect((await client.nextOf('session_started')).config.sample_rate).toBe(rate)
      await send(client, fixtureAudio('kitchen-lights.wav', rate), rate)
      client.send(commit(rate))
      const committed = await client.nextOf('committed_transcript')
      expect(sharedWords(KITCHEN, committed.text)).toBeGreaterThanOrEqual(0.8)
      await client.close()
    },
    TIMEOUT,
  )

  // The en-us model is a 16 kHz one: telephone-band audio is taken and transcribed, but few words come out right.
  it.each([
    ['pcm_8000', 's16le', 2],
    ['ulaw_8000', 'mulaw', 1],
  ] as const)(
    '%s is taken at 8 kHz (the session clock counts its samples)',
    async (format, encoding, bytesPerSample) => {
      const own = await startTestServer()
      try {
        const client = await connect(`audio_format=${format}&include_timestamps=true`, own)
        expect((await client.nextOf('session_started')).config.sample_rate).toBe(8000)
        const audio = fixtureAudio('kitchen-lights.wav', 8000, encoding)
        await stream(client, audio, { bytesPerSecond: 8000 * bytesPerSample, frame: chunk(8000) })
        client.send(commit(8000))
        const timed = await client.nextOf('committed_transcript_with_timestamps')
        expect(timed.text).toEqual(expect.any(String))
        const frames = own.events.filter((e) => e.type === 'realtime-frame')
        const last = frames.at(-1)
        expect(last?.type === 'realtime-frame' && last.audioMs).toBeCloseTo(
          (audio.length / bytesPerSample / 8000) * 1000,
          0,
        )
        for (const word of timed.words as Message[])
          expect(word.end).toBeLessThanOrEqual(audio.length / bytesPerSample / 8000 + 0.05)
        await client.close()
      } finally {
        await own.close()
      }
    },
    TIMEOUT,
  )
})

describe('authentication', () => {
  it('refuses a wrong or missing key before the upgrade, with ElevenLabs’ 401', async () => {
    expect(
      await RealtimeClient.refusal(wsUrl('audio_format=pcm_16000'), { headers: { 'xi-api-key': 'nope' } }),
    ).toEqual({
      status: 401,
      body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } },
    })
    expect((await RealtimeClient.refusal(wsUrl('audio_format=pcm_16000'))).body).toEqual({
      detail: { status: 'missing_api_key', message: expect.any(String) },
    })
    expect((await RealtimeClient.refusal(wsUrl('audio_format=pcm_16000&token=made-up'))).status).toBe(401)
  })

  it(
    'a single-use token opens one socket, and only one',
    async () => {
      const mint = (key: string | null) =>
        fetch(`${server.url}/elevenlabs/v1/single-use-token/realtime_scribe`, {
          method: 'POST',
          headers: key === null ? {} : { 'xi-api-key': key },
        })
      expect((await mint(null)).status).toBe(401)
      expect((await mint('wrong')).status).toBe(401)
      const other = await fetch(`${server.url}/elevenlabs/v1/single-use-token/tts_websocket`, {
        method: 'POST',
        headers: { 'xi-api-key': server.apiKey },
      })
      expect(other.status).toBe(422)
      const response = await mint(server.apiKey)
      expect(response.status).toBe(200)
      const body = (await response.json()) as { token: string }
      expect(Object.keys(body)).toEqual(['token'])
      const url = wsUrl(`audio_format=pcm_16000&token=${encodeURIComponent(body.token)}`)
      const client = await RealtimeClient.connect(url)
      await client.nextOf('session_started')
      await client.close()
      expect(await RealtimeClient.refusal(url)).toEqual({
        status: 401,
        body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } },
      })
    },
    TIMEOUT,
  )

  it('a single-use token expires after 15 minutes', async () => {
    let now = Date.now()
    const clocked = await startTestServer({ realtime: { now: () => now } })
    try {
      const response = await fetch(`${clocked.url}/elevenlabs/v1/single-use-token/realtime_scribe`, {
        method: 'POST',
        headers: { 'xi-api-key': clocked.apiKey },
      })
      const { token } = (await response.json()) as { token: string }
      now += 15 * 60 * 1000 + 1
      expect((await RealtimeClient.refusal(wsUrl(`audio_format=pcm_16000&token=${token}`, clocked))).status).toBe(401)
    } finally {
      await clocked.close()
    }
  })
})

describe('limits', () => {
  it(
    'a message over the size limit: chunk_size_exceeded, then close 1009',
    async () => {
      const small = await startTestServer({ realtime: { maxFrameBytes: 4096 } })
      try {
        const client = await connect('audio_format=pcm_16000', small)
        await client.nextOf('session_started')
        await send(client, silence(16_000, 0.5), 16_000)
        expect(await client.nextOf('chunk_size_exceeded')).toEqual({
          message_type: 'chunk_size_exceeded',
          error: expect.any(String),
        })
        expect((await client.closed).code).toBe(1009)
      } finally {
        await small.close()
      }
    },
    TIMEOUT,
  )

  it(
    'a session over the time limit: session_time_limit_exceeded, then close',
    async () => {
      const short = await startTestServer({ realtime: { maxSessionMs: 1500 } })
      try {
        const client = await connect('audio_format=pcm_16000', short)
        await client.nextOf('session_started')
        expect((await client.nextOf('session_time_limit_exceeded')).error).toEqual(expect.any(String))
        expect((await client.closed).code).toBe(1008)
      } finally {
        await short.close()
      }
    },
    TIMEOUT,
  )

  it(
    'uncommitted audio past the segment limit is committed by the server',
    async () => {
      const short = await startTestServer({ realtime: { maxSegmentMs: 3000 } })
      try {
        const client = await connect('audio_format=pcm_16000', short)
        await client.nextOf('session_started')
        await send(client, fixtureAudio('kitchen-lights.wav', 16_000))
        await send(client, silence(16_000, 1))
        const committed = await client.nextOf('committed_transcript')
        expect(sharedWords(KITCHEN, committed.text)).toBeGreaterThanOrEqual(0.8)
        expect(short.events.some((e) => e.type === 'realtime-commit' && e.by === 'limit')).toBe(true)
        await client.close()
      } finally {
        await short.close()
      }
    },
    TIMEOUT,
  )
})
