import type { LevelSource } from '@voicekit/core'
import { type RefObject, useEffect, useRef } from 'react'

/** Where the level goes: an element (its CSS custom property is set) or a function called every frame. */
export type AudioLevelTarget = RefObject<HTMLElement | null> | ((level: number) => void)

/**
 * Writes a level source (e.g. `useTranscribe().level`) to `target` on every animation
 * frame without rendering: for an element ref, as the CSS custom property `property`
 * (default `--vk-level`, a number 0…1, reset to 0 when unsubscribed).
 */
export function useAudioLevel(
  source: LevelSource | null | undefined,
  target: AudioLevelTarget,
  property = '--vk-level',
): void {
  const targetRef = useRef(target)
  targetRef.current = target
  useEffect(() => {
    if (!source) return
    const write = (level: number) => {
      const current = targetRef.current
      if (typeof current === 'function') current(level)
      else current.current?.style.setProperty(property, level.toFixed(3))
    }
    write(source.get())
    const unsubscribe = source.subscribe(write)
    return () => {
      unsubscribe()
      write(0)
    }
  }, [source, property])
}
