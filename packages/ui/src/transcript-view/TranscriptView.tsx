import type { Transcript, TranscriptSegment } from '@voicekit/core'
import { type PlayheadPlayer, type PlayheadSpan, usePlayhead } from '@voicekit/react'
import type { MouseEvent } from 'react'
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
  /** A transcript, or just its segments (seconds from the start of the audio), with its `words` when the provider gave them. */
  transcript: Pick<Transcript, 'segments' | 'text' | 'words'> | null | undefined
  /** Audio the transcript belongs to: clicking a segment or a word seeks it and plays, and what is playing lights up. */
  media?: HTMLMediaElement | null
  /** Speech playing (`useSpeak().player`): the word or segment at its time lights up. */
  player?: PlayheadPlayer | null
  /** Called with the time (seconds) of the segment or word clicked, e.g. to seek your own player. */
  onSeek?(seconds: number): void
  /** Marks the segment (or word) at this time, when there is no `media` or `player`. */
  currentTime?: number
  labels?: Partial<TranscriptViewLabels>
  className?: string
}

interface Row extends PlayheadSpan {
  segment: TranscriptSegment
  words: (PlayheadSpan & { text: string; index: number })[]
}

/** Segments, each with the words that fall in it; open ends run to the next start. */
function layout(transcript: TranscriptViewProps['transcript']): { rows: Row[]; words: PlayheadSpan[] } {
  const given = transcript?.words?.filter((w) => Number.isFinite(w.start)) ?? []
  const words = given.map((w, i) => ({
    text: w.text,
    start: w.start,
    end: w.end ?? given[i + 1]?.start ?? Infinity,
    index: i,
  }))
  let segments = transcript?.segments ?? []
  if (!segments.length && words.length)
    segments = [{ text: transcript?.text ?? '', start: words[0]!.start, end: words.at(-1)!.end }]
  if (!segments.length && transcript?.text) segments = [{ text: transcript.text, start: Number.NaN, end: null }]
  const rows = segments.map((segment, i) => {
    const end = segment.end ?? segments[i + 1]?.start ?? Infinity
    return { segment, start: segment.start, end, words: [] as Row['words'] }
  })
  for (const word of words) {
    const row = rows.findLast((r) => word.start >= r.start) ?? rows[0]
    row?.words.push(word)
  }
  return { rows, words }
}

/**
 * Segments with timestamps, and the word (or segment) playing lit up against `media` or `player`.
 * With `media` or `onSeek`, each segment is a button that seeks there, and a click on a word seeks to the word.
 */
export function TranscriptView({
  transcript,
  media,
  player,
  onSeek,
  currentTime,
  labels,
  className,
}: TranscriptViewProps) {
  const l = { ...defaultTranscriptViewLabels, ...labels }
  const { rows, words } = layout(transcript)
  const byWord = words.length > 0
  const index = usePlayhead(byWord ? words : rows, media, player, currentTime)
  const seekable = !!(media || onSeek)
  const seek = (seconds: number) => {
    onSeek?.(seconds)
    if (media) {
      media.currentTime = seconds
      void media.play().catch(() => {})
    }
  }
  const onWord = (row: Row) => (event: MouseEvent) => {
    const word = (event.target as Element).closest?.('[data-start]')
    seek(word ? Number((word as HTMLElement).dataset.start) : row.start)
  }
  return (
    <ol className={cx('vk-transcript', className)} aria-label={l.transcript} data-by={byWord ? 'word' : 'segment'}>
      {rows.map((row, i) => {
        const { segment } = row
        const current = byWord ? row.words.some((w) => w.index === index) : index === i
        const timed = !Number.isNaN(segment.start)
        const time = timed && <span className="vk-transcript__time">{clock(segment.start)}</span>
        const text = row.words.length ? (
          <span className="vk-transcript__text">
            {row.words.map((word, w) => (
              <span key={word.index}>
                {w > 0 && ' '}
                <span
                  className="vk-transcript__word"
                  data-start={word.start}
                  data-state={word.index === index ? 'current' : undefined}
                >
                  {word.text.trim()}
                </span>
              </span>
            ))}
          </span>
        ) : (
          <span className="vk-transcript__text">{segment.text}</span>
        )
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
                onClick={onWord(row)}
              >
                <span className="vk-sr-only">{l.seek}</span> {time} {text}
              </button>
            ) : (
              <>
                {time} {text}
              </>
            )}
          </li>
        )
      })}
    </ol>
  )
}
