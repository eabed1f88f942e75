// The last resort: collect the whole stream, then play it from an object URL.
import type { Engine } from '../types'
import { attach, elementTime, ended } from './media'

export const blobEngine: Engine = {
  id: 'blob',
  supports: (mime) => typeof Audio !== 'undefined' && new Audio().canPlayType(mime) !== '',
  start(io, mime) {
    let audio: HTMLAudioElement | undefined
    const run = async () => {
      const parts: Uint8Array<ArrayBuffer>[] = []
      for (let chunk = await io.read(); chunk; chunk = await io.read()) parts.push(chunk as Uint8Array<ArrayBuffer>)
      if (!parts.length) return io.fail('it was empty')
      audio = attach(io, URL.createObjectURL(new Blob(parts, { type: mime })))
      io.start(() => audio!.play())
      await ended(io, audio)
    }
    return { done: run(), time: () => (audio ? elementTime(audio) : [0, 0, 0]) }
  },
}
