import { createOutputLevel, type LevelSource, type StreamingPlayer } from '@voicekit/core'
import { useMemo } from 'react'

/**
 * The level of what a player plays, for `Waveform` or `useAudioLevel`: `useOutputLevel(useSpeak().player)`.
 * It reads the audio only while something subscribes, on animation frames, outside React.
 */
export function useOutputLevel(
  player: Pick<StreamingPlayer, 'getSnapshot' | 'output'> | null | undefined,
): LevelSource | null {
  return useMemo(() => (player ? createOutputLevel(player) : null), [player])
}
