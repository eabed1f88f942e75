// React logic only: a hand-driven level source stands in for the recorder's.
import { act, render } from '@testing-library/react'
import type { LevelSource } from '@voicekit/core'
import { useRef } from 'react'
import { expect, test, vi } from 'vitest'
import { useAudioLevel } from './useAudioLevel'

function manualSource(): LevelSource & { emit(level: number): void; listeners: number } {
  let value = 0
  const listeners = new Set<(level: number) => void>()
  return {
    get: () => value,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit(level) {
      value = level
      for (const listener of listeners) listener(level)
    },
    get listeners() {
      return listeners.size
    },
  }
}

let renders = 0
function Ring({ source, property }: { source: LevelSource; property?: string }) {
  renders++
  const ref = useRef<HTMLDivElement>(null)
  useAudioLevel(source, ref, property)
  return <div ref={ref} data-testid="ring" />
}

function Fn({ source, target }: { source: LevelSource; target: (level: number) => void }) {
  useAudioLevel(source, target)
  return null
}

function Empty() {
  const ref = useRef<HTMLDivElement>(null)
  useAudioLevel(null, ref)
  return <div ref={ref} data-testid="empty" />
}

test('writes every level to the CSS custom property without rendering, and 0 on unmount', () => {
  const source = manualSource()
  renders = 0
  const view = render(<Ring source={source} />)
  const ring = view.getByTestId('ring')
  expect(ring.style.getPropertyValue('--vk-level')).toBe('0.000')
  for (let i = 1; i <= 100; i++) act(() => source.emit(i / 100))
  expect(ring.style.getPropertyValue('--vk-level')).toBe('1.000')
  act(() => source.emit(0.4567))
  expect(ring.style.getPropertyValue('--vk-level')).toBe('0.457')
  expect(renders).toBe(1)
  expect(source.listeners).toBe(1)
  view.unmount()
  expect(source.listeners).toBe(0)
})

test('a custom property name and a function target', () => {
  const source = manualSource()
  const view = render(<Ring source={source} property="--meter" />)
  act(() => source.emit(0.25))
  expect(view.getByTestId('ring').style.getPropertyValue('--meter')).toBe('0.250')
  const seen = vi.fn()
  const other = render(<Fn source={source} target={seen} />)
  act(() => source.emit(0.5))
  expect(seen).toHaveBeenLastCalledWith(0.5)
  other.unmount()
  expect(seen).toHaveBeenLastCalledWith(0)
})

test('no source: nothing subscribed, nothing written', () => {
  const view = render(<Empty />)
  expect(view.getByTestId('empty').style.getPropertyValue('--vk-level')).toBe('')
})
