import type { LevelSource } from '@voicekit/core'
import { useAudioLevel } from '@voicekit/react'
import { type HTMLAttributes, useRef } from 'react'
import { cx } from '../internal/util'

export interface LevelMeterProps extends HTMLAttributes<HTMLSpanElement> {
  /** A level source, e.g. `useTranscribe().level` or `useRecorder().level`: `{ get(), subscribe(fn) }`, 0…1. */
  source: LevelSource | null | undefined
  /** `bar` (default) fills from the start; `ring` grows around its parent (see MicButton). */
  variant?: 'bar' | 'ring'
}

/**
 * The microphone level, drawn from the CSS custom property `--vk-level` (0…1) that is
 * written on the element every animation frame: the component renders once, never per frame.
 * Decorative (hidden from assistive technology): the recording state is announced elsewhere.
 */
export function LevelMeter({ source, variant = 'bar', className, ...rest }: LevelMeterProps) {
  const ref = useRef<HTMLSpanElement>(null)
  useAudioLevel(source, ref)
  return (
    <span aria-hidden="true" {...rest} ref={ref} className={cx('vk-level', className)} data-variant={variant}>
      <span className="vk-level__fill" />
    </span>
  )
}
