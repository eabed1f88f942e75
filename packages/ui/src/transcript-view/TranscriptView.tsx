import type { Transcript } from '@voicekit/core'
import { useEffect, useState } from 'react'
import { clock, cx } from '../internal/util'

export interface TranscriptViewLabels {
  /** The list's name. */
  transcript: string
  /** Read before a segment's time when it is a button that seeks (visually hidden). */
  seek: string
}

export const defaultTranscriptViewLabels: TranscriptViewLabels = {
  transcript: 'Transcript',
  seek: 'Play from',
}

export interface TranscriptViewProps {
  /** A transcript, or just its segments (seconds from the start of the audio). */
  transcript: Pick<Transcript, 'segments' | 'text'> | null | undefined
  /** Audio the transcript belongs to: clicking a segment seeks it and plays, and the segment playing is marked. */
  media?: HTMLMediaElement | null
  /** Called with the segment's start (seconds) when one is clicked, e.g. to seek your own player. */
  onSeek?(seconds: number): void
  /** Marks the segment at this time (when there is no `media`). */
  currentTime?: number
  labels?: Partial<TranscriptViewLabels>
  className?: string
}

/** Segments with timestamps; with `media` or `onSeek`, each segment is a button that seeks there. */
export function TranscriptView({ transcript, media, onSeek, currentTime, labels, className }: TranscriptViewProps) {
  const l = { ...defaultTranscriptViewLabels, ...labels }
  const [mediaTime, setMediaTime] = useState<number>()
  useEffect(() => {
    if (!media) return setMediaTime(undefined)
    const update = () => setMediaTime(media.currentTime)
    media.addEventListener('timeupdate', update)
    return () => media.removeEventListener('timeupdate', update)
  }, [media])
  const now = mediaTime ?? currentTime
  const segments = transcript?.segments.length
    ? transcript.segments
    : transcript?.text
      ? [{ text: transcript.text, start: Number.NaN, end: null }]
      : []
  const seekable = !!(media || onSeek)
  return (
    <ol className={cx('vk-transcript', className)} aria-label={l.transcript}>
      {segments.map((segment, i) => {
        const end = segment.end ?? segments[i + 1]?.start ?? Number.POSITIVE_INFINITY
        const current = now !== undefined && now >= segment.start && now < end
        const timed = !Number.isNaN(segment.start)
        const time = timed && <span className="vk-transcript__time">{clock(segment.start)}</span>
        return (
          <li
            key={`${segment.start}:${segment.text}`}
            className="vk-transcript__segment"
            data-state={current ? 'current' : undefined}
          >
            {seekable && timed ? (
              <button
                type="button"
                className="vk-transcript__seek"
                aria-current={current || undefined}
                onClick={() => {
                  onSeek?.(segment.start)
                  if (media) {
                    media.currentTime = segment.start
                    void media.play().catch(() => {})
                  }
                }}
              >
                <span className="vk-sr-only">{l.seek}</span> {time}{' '}
                <span className="vk-transcript__text">{segment.text}</span>
              </button>
            ) : (
              <>
                {time} <span className="vk-transcript__text">{segment.text}</span>
              </>
            )}
          </li>
        )
      })}
    </ol>
  )
}
