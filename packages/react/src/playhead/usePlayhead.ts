// Where playback is, for the transcript's highlight: read on animation frames while playing, and
// turned into the index of the current word (or segment) so the view renders once per word.
import type { PlayerState, ReadableStore } from '@voicekit/core'
import { useEffect, useRef, useState } from 'react'

/** A span of the audio in seconds: a word or a segment. */
export interface PlayheadSpan {
  start: number
  end: number
}

/** A player's time, interpolated between its 4 Hz ticks while it plays. */
export type PlayheadPlayer = ReadableStore<Pick<PlayerState, 'currentTime' | 'status' | 'playbackRate'>>

/** The index of the span `time` falls in (spans sorted by start), or -1. */
function indexAt(spans: readonly PlayheadSpan[], time: number | undefined): number {
  if (time === undefined || Number.isNaN(time)) return -1
  for (let i = spans.length - 1; i >= 0; i--) if (time >= spans[i]!.start) return time < spans[i]!.end ? i : -1
  return -1
}

/**
 * The index in `spans` (sorted by start) of what is playing on `media` or `player`, or at `time`
 * when neither is given; -1 between spans. Renders once per span, not per frame.
 */
export function usePlayhead(
  spans: readonly PlayheadSpan[],
  media: HTMLMediaElement | null | undefined,
  player: PlayheadPlayer | null | undefined,
  time: number | undefined,
): number {
  const [index, setIndex] = useState(-1)
  const spansRef = useRef(spans)
  spansRef.current = spans
  useEffect(() => {
    if (!media && !player) return setIndex(indexAt(spansRef.current, time))
    let frame = 0
    let tick = { at: 0, time: 0, rate: 1 }
    const now = (): [number, boolean] => {
      if (media) return [media.currentTime, !media.paused && !media.ended]
      const s = player!.getSnapshot()
      if (s.currentTime !== tick.time || s.status !== 'playing')
        tick = { at: performance.now(), time: s.currentTime, rate: s.playbackRate }
      const playing = s.status === 'playing'
      if (s.status === 'idle' || s.status === 'loading') return [Number.NaN, false]
      return [playing ? tick.time + ((performance.now() - tick.at) / 1000) * tick.rate : tick.time, playing]
    }
    const update = () => {
      cancelAnimationFrame(frame)
      const [t, playing] = now()
      setIndex(indexAt(spansRef.current, t))
      if (playing) frame = requestAnimationFrame(update)
    }
    update()
    const events = ['play', 'playing', 'pause', 'seeked', 'timeupdate', 'ended']
    for (const type of events) media?.addEventListener(type, update)
    const off = player?.subscribe(update)
    return () => {
      cancelAnimationFrame(frame)
      for (const type of events) media?.removeEventListener(type, update)
      off?.()
    }
  }, [media, player, time])
  return index
}
