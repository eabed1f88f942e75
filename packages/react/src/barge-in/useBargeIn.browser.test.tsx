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

/** A sentence spoken `times` over, as one stream: long enough that it is still playing whatever the machine's speed. */
async function spoken(times: number): Promise<ReadableStream<Uint8Array>> {
  const url = `${inject('fixturesUrl')}/speech/three-sentences.mp3`
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer())
  let sent = 0
  return new ReadableStream({
    pull(controller) {
      if (sent++ < times) controller.enqueue(bytes.slice())
      else controller.close()
    },
  })
}

function transport(repeat = 1): SpeechTransport {
  return {
    provider: 'test',
    input: { mimeTypes: ['audio/webm', 'audio/ogg', 'audio/mp4', 'audio/wav'], maxBytes: 2 ** 20 },
    async transcribe() {
      return { text: 'ok', segments: [], provider: 'test', raw: null }
    },
    async speak() {
      return { mimeType: 'audio/mpeg', body: await spoken(repeat) }
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
/** The speech's statuses (repeats folded), with `speech detected (<status then>)` where the dictation found speech. */
const timeline: string[] = []
function ContinuousAssistant() {
  dictated.speak = useSpeak({ volume: 0.5 })
  // Continuous dictation is running the whole time: only speech it detects takes the turn.
  const barge = useBargeIn(dictated.speak.player, false, { graceMs: 0 })
  dictated.dictation = useDictation({
    source: () => createSamplesPcm(speechBursts(1, { leadSeconds: 1.5 })),
    onSpeechStart: () => {
      timeline.push(`speech detected (${dictated.speak!.player.getSnapshot().status})`)
      interruptions.push(barge.speechDetected())
    },
  })
  return null
}

test(`${server.browser}: continuous dictation's detected speech stops the speech, silence does not`, async () => {
  // Four times the three sentences (about 20 s): the 1.5 s of leading silence and the burst after it
  // fall inside the speech however slow the machine is.
  render(
    <VoiceProvider transport={transport(4)}>
      <ContinuousAssistant />
    </VoiceProvider>,
  )
  interruptions.length = 0
  timeline.length = 0
  const off = dictated.speak!.player.subscribe(() => {
    const { status } = dictated.speak!.player.getSnapshot()
    if (timeline.at(-1) !== status) timeline.push(status)
  })
  act(() => void dictated.speak!.speak('hello'))
  await until(() => dictated.speak!.status === 'playing')
  act(() => dictated.dictation!.start())
  await until(() => dictated.dictation!.status === 'recording')
  await until(() => dictated.speak!.status === 'idle')
  off()
  // The source's leading silence stopped nothing: the speech was still playing when the dictation found
  // speech, and stopped right after, because of it — the order, not a wait.
  const detected = timeline.indexOf('speech detected (playing)')
  expect(detected, timeline.join(' → ')).toBeGreaterThan(-1)
  expect(timeline.slice(timeline.lastIndexOf('playing', detected), detected + 2), timeline.join(' → ')).toEqual([
    'playing',
    'speech detected (playing)',
    'idle',
  ])
  expect(interruptions).toEqual([true])
  expect(dictated.dictation!.status).toBe('recording')
  act(() => dictated.dictation!.cancel())
})
