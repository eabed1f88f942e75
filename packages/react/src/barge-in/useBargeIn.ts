import { type BargeIn, type BargeInOptions, type BargeInPlayer, createBargeIn, type LevelSource } from '@voicekit/core'
import { useEffect, useRef, useState } from 'react'

export interface UseBargeInOptions extends BargeInOptions {
  /** Also treat a sustained microphone level as the person talking (e.g. continuous dictation's level). */
  level?: LevelSource | null
  /** Level threshold (0…1) and how long it must hold, in ms. Default 0.5 and 150. */
  threshold?: number
  holdMs?: number
}

/** What the hook returns: the hook point for voice activity (continuous dictation calls it on speech). */
export type UseBargeInResult = Pick<BargeIn, 'speechDetected'>

/**
 * Speech stops (or ducks) when the person starts talking: `useBargeIn(speaker.player, transcribe.status === 'recording')`.
 * `talking` turning true always interrupts; `speechDetected()` (and `level`, when given) are ignored in
 * the first `graceMs` of playback, when our own speaker can leak into the microphone.
 */
export function useBargeIn(
  player: BargeInPlayer | null | undefined,
  talking: boolean,
  options: UseBargeInOptions = {},
): UseBargeInResult {
  const { mode = 'stop', duckTo, graceMs, level, threshold, holdMs } = options
  const [barge, setBarge] = useState<BargeIn | null>(null)
  useEffect(() => {
    if (!player) return
    const created = createBargeIn(player, { mode, duckTo, graceMs })
    setBarge(created)
    return () => {
      created.dispose()
      setBarge(null)
    }
  }, [player, mode, duckTo, graceMs])
  useEffect(() => {
    if (!barge) return
    if (talking) barge.userStarted()
    else barge.userStopped()
  }, [barge, talking])
  useEffect(
    () => (barge && level ? barge.watchLevel(level, threshold, holdMs) : undefined),
    [barge, level, threshold, holdMs],
  )
  const bargeRef = useRef(barge)
  bargeRef.current = barge
  const [result] = useState<UseBargeInResult>(() => ({
    speechDetected: () => bargeRef.current?.speechDetected() ?? false,
  }))
  return result
}
