// SpeakButton re-renders when its status changes, not four times a second as the time ticks:
// renders counted while real speech plays, beside a component that shows the status the plain way.
import { act, cleanup, render } from '@testing-library/react'
import { useSpeak, VoiceProvider } from '@voicekit/react'
import { afterEach, expect, test } from 'vitest'
import { server } from 'vitest/browser'
import { createFakeTransport } from '../stories/fake-transport'
import { defaultSpeakButtonLabels, SpeakButton } from './SpeakButton'

afterEach(cleanup)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const TEXT = 'The first sentence is short. Here comes the second one. And this is the third.'

/** Labels whose `speak` getter counts the renders of the button's view (each render spreads them). */
function countingLabels() {
  const counter = { renders: 0, labels: {} as { speak: string } }
  Object.defineProperty(counter.labels, 'speak', {
    enumerable: true,
    get: () => {
      counter.renders++
      return defaultSpeakButtonLabels.speak
    },
  })
  return counter
}

/** An owner that shows the time (so renders 4 times a second) and shares its speaker with the button. */
function Page({ owner, labels }: { owner: { renders: number; times: Set<number> }; labels: { speak: string } }) {
  const speaker = useSpeak({ volume: 0 })
  owner.renders++
  owner.times.add(speaker.currentTime)
  return (
    <>
      <SpeakButton text={TEXT} speaker={speaker} labels={labels} />
      <progress max={5} value={speaker.currentTime} />
    </>
  )
}

async function untilState(state: string) {
  for (let i = 0; i < 500; i++) {
    if (document.querySelector(`.vk-speak[data-state="${state}"]`)) return
    await act(() => sleep(20))
  }
  throw new Error(`never ${state}`)
}

test(`${server.browser}: its own player: no render while playing, though the time ticks`, async () => {
  const counter = countingLabels()
  const view = render(
    <VoiceProvider transport={createFakeTransport({ latencyMs: 50 })}>
      <SpeakButton text={TEXT} labels={counter.labels} options={{ volume: 0 }} />
    </VoiceProvider>,
  )
  act(() => view.getByRole('button', { name: 'Read aloud' }).click())
  await untilState('playing')
  const before = counter.renders
  await act(() => sleep(1600))
  expect(document.querySelector('.vk-speak')?.getAttribute('data-state')).toBe('playing')
  expect(counter.renders - before).toBe(0)
})

test(`${server.browser}: a shared speaker re-rendering its owner 4 times a second leaves the button alone`, async () => {
  const counter = countingLabels()
  const owner = { renders: 0, times: new Set<number>() }
  const view = render(
    <VoiceProvider transport={createFakeTransport({ latencyMs: 50 })}>
      <Page owner={owner} labels={counter.labels} />
    </VoiceProvider>,
  )
  act(() => view.getByRole('button', { name: 'Read aloud' }).click())
  await untilState('playing')
  const before = { button: counter.renders, owner: owner.renders, times: owner.times.size }
  // Outside act(): React 18's act would batch the ticks into one render and hide what is measured.
  await sleep(1600)
  // The plain way (the owner shows the time) rendered for every tick; the button did not.
  expect(owner.renders - before.owner).toBeGreaterThanOrEqual(4)
  expect(owner.times.size - before.times).toBeGreaterThanOrEqual(4)
  expect(counter.renders - before.button).toBe(0)
  view.getByRole('button', { name: 'Stop reading' }).click()
  await untilState('idle')
})
