import type { LevelSource } from '@voicekit/core'
import { type CanvasHTMLAttributes, useEffect, useRef } from 'react'
import { cx } from '../internal/util'

export interface WaveformProps extends CanvasHTMLAttributes<HTMLCanvasElement> {
  /** A level source, 0…1: `useTranscribe().level` for the microphone, `useOutputLevel(player)` for playback. */
  source: LevelSource | null | undefined
  /** Bars across the canvas, the newest on the right. Default 32. */
  bars?: number
  /** A name makes it an image for assistive technology; without one it is decorative (hidden). */
  label?: string
}

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches

/**
 * The level as bars scrolling right to left, drawn on a canvas on every animation frame of the
 * source: the component renders once, never per frame. Colours come from CSS (`color` and
 * `--vk-track` on `.vk-waveform`, both from the `--vk-*` theme). With `prefers-reduced-motion`
 * nothing scrolls: all bars show the current level, redrawn at most 4 times a second.
 */
export function Waveform({ source, bars = 32, label, className, ...rest }: WaveformProps) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    const g = canvas?.getContext('2d')
    if (!canvas || !g || !source) return
    const history = new Float32Array(bars)
    const still = reducedMotion()
    let drawnAt = 0
    const draw = (level: number) => {
      if (still) {
        const now = performance.now()
        if (now - drawnAt < 250 && level) return
        drawnAt = now
        history.fill(level)
      } else {
        history.copyWithin(0, 1)
        history[bars - 1] = level
      }
      const ratio = globalThis.devicePixelRatio || 1
      const width = Math.round(canvas.clientWidth * ratio)
      const height = Math.round(canvas.clientHeight * ratio)
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width
        canvas.height = height
      }
      const style = getComputedStyle(canvas)
      const step = width / bars
      const bar = Math.max(1, step * 0.6)
      g.clearRect(0, 0, width, height)
      for (let i = 0; i < bars; i++) {
        const h = Math.max(ratio * 2, history[i]! * height)
        g.fillStyle = history[i]! > 0.02 ? style.color : style.getPropertyValue('--vk-track') || style.color
        g.fillRect(i * step + (step - bar) / 2, (height - h) / 2, bar, h)
      }
    }
    draw(source.get())
    const off = source.subscribe(draw)
    return () => {
      off()
      g.clearRect(0, 0, canvas.width, canvas.height)
    }
  }, [source, bars])
  return (
    <canvas
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
      {...rest}
      ref={ref}
      className={cx('vk-waveform', className)}
    />
  )
}
