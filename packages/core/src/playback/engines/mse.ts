// MediaSource and ManagedMediaSource: MP3 appended frame-aligned in 'sequence' mode while it arrives.

import { once, sleep } from '../../wait'
import { concat, createMp3Splitter } from '../mp3-frames'
import type { Engine } from '../types'
import { attach, elementTime, ended } from './media'

/** Seconds buffered ahead of the playhead before reading pauses (bounds memory at the front). */
const AHEAD = 30
/** Seconds of played audio kept; played audio beyond KEEP + SLACK is removed (bounds it behind). */
const KEEP = 10
const SLACK = 10

type Source = typeof MediaSource

export function mseEngine(managed: boolean): Engine {
  const Source = (): Source | undefined =>
    (globalThis as Record<string, unknown>)[managed ? 'ManagedMediaSource' : 'MediaSource'] as Source
  return {
    id: managed ? 'managed-mse' : 'mse',
    supports: (mime) => mime === 'audio/mpeg' && !!Source()?.isTypeSupported(mime),
    start(io) {
      const media = new (Source()!)()
      const { signal } = io
      const audio = io.audio()
      // ManagedMediaSource plays only without AirPlay, and says when it wants data.
      let streaming = true
      if (managed) {
        audio.disableRemotePlayback = true
        streaming = (media as { streaming?: boolean }).streaming !== false
        media.addEventListener('startstreaming', () => (streaming = true), { signal })
        media.addEventListener('endstreaming', () => (streaming = false), { signal })
      }
      attach(io, URL.createObjectURL(media))
      const run = async () => {
        await once(media, 'sourceopen', signal)
        const buffer = media.addSourceBuffer('audio/mpeg')
        buffer.mode = 'sequence'
        const splitter = createMp3Splitter()
        let appended = 0
        const update = (change: () => void) => {
          change()
          return once(buffer, 'updateend', signal)
        }
        /** Removes played audio older than `keep` seconds, if there is more than `least` of it. */
        const evict = async (keep: number, least: number) => {
          const [now, from] = elementTime(audio)
          const drop = now - keep - from > least
          if (drop) await update(() => buffer.remove(0, now - keep))
          return drop
        }
        const append = async (frames: Uint8Array[]) => {
          if (!frames.length) return
          const bytes = concat(frames)
          for (;;) {
            try {
              await update(() => buffer.appendBuffer(bytes))
              if (!appended) io.start(() => audio.play())
              appended += frames.length
              return
            } catch (error) {
              if ((error as Error)?.name !== 'QuotaExceededError') throw error
              // Full: drop what has played, or wait for the playhead to move on.
              if (!(await evict(1, 0.5))) await sleep(250, signal)
            }
          }
        }
        for (;;) {
          await evict(KEEP, SLACK)
          const [now, , until] = elementTime(audio)
          if (!streaming || until - now > AHEAD) {
            await sleep(250, signal)
            continue
          }
          const chunk = await io.read()
          if (!chunk) break
          await append(splitter.push(chunk))
        }
        const tail = splitter.end()
        await append(tail.frames)
        if (tail.truncated) io.fail('it stopped inside an MP3 frame')
        if (!appended) return io.fail('it held no MP3 audio')
        if (media.readyState === 'open' && !buffer.updating) media.endOfStream()
        await ended(io, audio)
      }
      return { done: run(), time: () => elementTime(audio) }
    },
  }
}
