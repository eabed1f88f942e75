// Barge-in with the real hooks: speech from a real MP3 plays, the fake microphone starts recording,
// and the speech stops (or ducks and comes back) — in each engine.
import { act, cleanup, render } from '@testing-library/react'
import { createSamplesPcm, type SpeechTransport } from '@voicekit/core'
import { afterEach, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { speechBursts } from '../../../core/src/test-support/speech-bursts'
import { type UseDictationResult, useDictation } from '../dictation'
import { VoiceProvider } from '../provider'
import { type UseSpeakResult, useSpeak } from '../speak'
import { type UseTranscribeResult, useTranscribe } from '../transcribe'
import { type UseBargeInOptions, useBargeIn } from './useBargeIn'

afterEach(cleanup)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function transport(): SpeechTransport {
  return {
    provider: 'test',
    input: { mimeTypes: ['audio/webm', 'audio/ogg', 'audio/mp4', 'audio/wav'], maxBytes: 2 ** 20 },
    async transcribe() {
      return { text: 'ok', segments: [], provider: 'test', raw: null }
    },
    async speak() {
      const response = await fetch(`${inject('fixturesUrl')}/speech/three-sentences.mp3`)
      return { mimeType: 'audio/mpeg', body: response.body! }
    },
  }
}

const seen: { speak?: UseSpeakResult; transcribe?: UseTranscribeResult } = {}
function Assistant({ mode }: { mode: UseBargeInOptions['mode'] }) {
  seen.speak = useSpeak({ volume: 0.5 })
  seen.transcribe = useTranscribe()
  useBargeIn(seen.speak.player, seen.transcribe.status === 'recording', { mode })
  return null
}

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await act(() => sleep(20))
  expect(check()).toBe(true)
}

test(`${server.browser}: recording while speech plays stops the speech`, async () => {
  render(
    <VoiceProvider transport={transport()}>
      <Assistant mode="stop" />
    </VoiceProvider>,
  )
  act(() => void seen.speak!.speak('hello'))
  await until(() => seen.speak!.status === 'playing')
  act(() => seen.transcribe!.start())
  await until(() => seen.transcribe!.status === 'recording')
  await until(() => seen.speak!.status === 'idle')
  act(() => seen.transcribe!.cancel())
})

test(`${server.browser}: duck lowers the volume while recording and restores it after`, async () => {
  render(
    <VoiceProvider transport={transport()}>
      <Assistant mode="duck" />
    </VoiceProvider>,
  )
  act(() => void seen.speak!.speak('hello'))
  await until(() => seen.speak!.status === 'playing')
  act(() => seen.transcribe!.start())
  await until(() => seen.speak!.volume === 0.1)
  expect(seen.speak!.status).toBe('playing')
  act(() => seen.transcribe!.cancel())
  await until(() => seen.speak!.volume === 0.5)
  act(() => seen.speak!.stop())
})

const dictated: { speak?: UseSpeakResult; dictation?: UseDictationResult } = {}
/** What each `speechDetected()` answered: whether it interrupted the speech. */
const interruptions: boolean[] = []
function ContinuousAssistant() {
  dictated.speak = useSpeak({ volume: 0.5 })
  // Continuous dictation is running the whole time: only speech it detects takes the turn.
  const barge = useBargeIn(dictated.speak.player, false, { graceMs: 0 })
  dictated.dictation = useDictation({
    source: () => createSamplesPcm(speechBursts(1, { leadSeconds: 1.5 })),
    onSpeechStart: () => void interruptions.push(barge.speechDetected()),
  })
  return null
}

test(`${server.browser}: continuous dictation's detected speech stops the speech, silence does not`, async () => {
  render(
    <VoiceProvider transport={transport()}>
      <ContinuousAssistant />
    </VoiceProvider>,
  )
  act(() => void dictated.speak!.speak('hello'))
  await until(() => dictated.speak!.status === 'playing')
  act(() => dictated.dictation!.start())
  await until(() => dictated.dictation!.status === 'recording')
  // The first second of the source is silence: the speech plays on.
  await act(() => sleep(800))
  expect(dictated.speak!.status).toBe('playing')
  expect(interruptions).toEqual([])
  await until(() => dictated.speak!.status === 'idle')
  expect(interruptions).toEqual([true])
  expect(dictated.dictation!.status).toBe('recording')
  act(() => dictated.dictation!.cancel())
})
