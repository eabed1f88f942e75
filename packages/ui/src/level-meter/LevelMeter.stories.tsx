import type { Meta, StoryObj } from '@storybook/react-vite'
import type { LevelSource } from '@voicekit/core'
import { useRecorder } from '@voicekit/react'
import { useEffect, useState } from 'react'
import { expect, waitFor } from 'storybook/test'
import { LevelMeter } from './LevelMeter'

/** A level source that breathes like speech, driven by requestAnimationFrame. */
function useBreathingLevel(): LevelSource {
  const [source] = useState(() => {
    let level = 0
    const listeners = new Set<(level: number) => void>()
    return {
      get: () => level,
      subscribe(listener: (level: number) => void) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      set(next: number) {
        level = next
        for (const listener of listeners) listener(next)
      },
    }
  })
  useEffect(() => {
    let frame = requestAnimationFrame(function tick(now) {
      source.set(0.5 + 0.45 * Math.sin(now / 180) * Math.sin(now / 1100))
      frame = requestAnimationFrame(tick)
    })
    return () => cancelAnimationFrame(frame)
  }, [source])
  return source
}

let renders = 0
function Breathing({ variant }: { variant: 'bar' | 'ring' }) {
  renders++
  return <LevelMeter source={useBreathingLevel()} variant={variant} data-testid="meter" />
}

const meta = {
  title: 'UI/LevelMeter',
  component: LevelMeter,
  args: { source: null },
} satisfies Meta<typeof LevelMeter>
export default meta
type Story = StoryObj<typeof meta>

const followsTheSource: Story['play'] = async ({ canvasElement }) => {
  renders = 0
  const meter = canvasElement.querySelector<HTMLElement>('.vk-level')!
  const seen = new Set<string>()
  await waitFor(
    () => {
      seen.add(meter.style.getPropertyValue('--vk-level'))
      expect(seen.size).toBeGreaterThan(5)
    },
    { interval: 16, timeout: 5000 },
  )
  // The level changed many times, the component rendered at most once more (StrictMode).
  await expect(renders).toBeLessThanOrEqual(1)
}

/** A bar, fed 60 times a second without rendering React. */
export const Bar: Story = { render: () => <Breathing variant="bar" />, play: followsTheSource }

/** A ring (MicButton wears one). */
export const Ring: Story = { render: () => <Breathing variant="ring" />, play: followsTheSource }

function LiveMicrophone() {
  const recorder = useRecorder()
  useEffect(() => {
    void recorder.start()
    return () => recorder.cancel()
  }, [recorder.start, recorder.cancel])
  return (
    <p style={{ display: 'flex', gap: '1rem', alignItems: 'center', margin: 0 }}>
      <span>Microphone: {recorder.status}</span>
      <LevelMeter source={recorder.level} />
    </p>
  )
}

/** The real microphone's level through `useRecorder().level` (the test browser's fake microphone speaks). */
export const Microphone: Story = {
  render: () => <LiveMicrophone />,
  play: async ({ canvasElement }) => {
    const meter = canvasElement.querySelector<HTMLElement>('.vk-level')!
    await waitFor(() => expect(Number(meter.style.getPropertyValue('--vk-level'))).toBeGreaterThan(0.1), {
      timeout: 10_000,
    })
  },
}
