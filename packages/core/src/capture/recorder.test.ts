// Node: no browser APIs. The recorder must import safely and fail typed.
import { expect, test } from 'vitest'
import { createDifyTransport } from '../providers'
import { createRecorder, defaultMaxDurationMs } from './recorder'

test('without getUserMedia/MediaRecorder, start() rejects not_supported and the state says so', async () => {
  const recorder = createRecorder()
  await expect(recorder.start()).rejects.toMatchObject({ name: 'VoiceError', code: 'not_supported' })
  expect(recorder.getSnapshot()).toMatchObject({ status: 'error', error: { code: 'not_supported' } })
  recorder.cancel()
  expect(recorder.getSnapshot().status).toBe('idle')
})

test('the default max duration fits the byte limit as 16 kHz WAV, with headroom', () => {
  const input = createDifyTransport({ baseUrl: '/x' }).input
  expect(defaultMaxDurationMs(input)).toBe(Math.floor((30 * 1024 * 1024 * 0.95) / 32000) * 1000)
  expect(defaultMaxDurationMs({ mimeTypes: [], maxBytes: 320_000 })).toBe(9000)
  expect(defaultMaxDurationMs()).toBe(600_000)
})

test('after dispose, start() rejects', async () => {
  const recorder = createRecorder()
  recorder.dispose()
  await expect(recorder.start()).rejects.toMatchObject({ code: 'not_supported' })
})
