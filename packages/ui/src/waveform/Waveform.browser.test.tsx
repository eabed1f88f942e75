// The visualizer draws every frame without rendering React, for the microphone and for playback,
// and the transcript follows speech as it plays: real engines, the fake microphone, a real MP3.
import { act, cleanup, render } from '@testing-library/react'
import { createOutputLevel, createRecorder, createStreamingPlayer, type LevelSource } from '@voicekit/core'
import { Profiler } from 'react'
import { afterEach, expect, test } from 'vitest'
import { server } from 'vitest/browser'
import { createFakeTransport, speechTranscript } from '../stories/fake-transport'
import { TranscriptView } from '../transcript-view'
import { Waveform } from './Waveform'

afterEach(cleanup)
const engine = server.browser
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Mounts a Waveform and counts React commits and the frames the source delivered. */
function mount(source: LevelSource) {
  const seen = { commits: 0, frames: 0, max: 0 }
  source.subscribe((level) => {
    seen.frames++
    seen.max = Math.max(seen.max, level)
  })
  const view = render(
    <Profiler id="waveform" onRender={() => seen.commits++}>
      <Waveform source={source} style={{ width: 200, height: 40 }} label="Microphone level" />
    </Profiler>,
  )
  const canvas = view.getByRole('img', { name: 'Microphone level' }) as HTMLCanvasElement
  const painted = () => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
    let lit = 0
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) lit++
    return lit
  }
  return { seen, canvas, painted }
}

test(`${engine}: the microphone waveform draws every frame with zero React renders`, async () => {
  const recorder = createRecorder()
  const { seen, painted } = mount(recorder.level)
  const mounted = seen.commits
  await recorder.start()
  await sleep(1500)
  expect(seen.frames).toBeGreaterThan(20)
  expect(seen.max).toBeGreaterThan(0)
  expect(painted()).toBeGreaterThan(0)
  expect(seen.commits - mounted).toBe(0)
  recorder.cancel()
})

test(`${engine}: playback level, and the transcript lighting up with the speech`, async () => {
  const transport = createFakeTransport({ latencyMs: 20, chunkDelayMs: 5 })
  const player = createStreamingPlayer({ volume: 0.5 })
  const level = createOutputLevel(player)
  const { seen } = mount(level)
  const mounted = seen.commits
  const lit: string[] = []
  const view = render(<TranscriptView transcript={speechTranscript} player={player} />)
  const record = () => {
    const text = view.container.querySelector('[data-state="current"] .vk-transcript__text')?.textContent
    if (text && lit.at(-1) !== text) lit.push(text)
  }
  const observer = new MutationObserver(record)
  observer.observe(view.container, { attributes: true, subtree: true })
  player.unlock()
  const done = player.play((signal) => transport.speak!('x', { signal }))
  // Until two seconds have played and the level has risen: on a loaded machine the tap can start late.
  const waiting = () => player.getSnapshot().currentTime < 2 || seen.max === 0
  for (let i = 0; i < 400 && waiting(); i++) await act(() => sleep(20))
  const engineUsed = player.getSnapshot().engine
  player.stop()
  await done
  observer.disconnect()
  // The first sentence lit up, then the second, as the audio reached them.
  expect(lit.slice(0, 2)).toEqual(['The first sentence is short.', 'Here comes the second one.'])
  expect(seen.commits - mounted).toBe(0)
  // MP3 at rate 1 plays through Web Audio in every engine, read through a tap beside the player's gain.
  expect({ engineUsed, max: seen.max > 0 }).toEqual({ engineUsed: 'webaudio', max: true })
})
