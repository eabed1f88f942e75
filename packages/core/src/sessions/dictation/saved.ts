// A dictation in IndexedDB while it runs, so that a reload, a closed tab or a crash loses nothing
// (opt-in: `persist`): each segment's audio until it is transcribed, then its text in place of the audio.
// The rows go when the dictation is done. Plain IndexedDB: one database, one store keyed [session, index].
import { VoiceError } from '../../errors'
import type { TranscriptSegment } from '../../transport/types'

const DB = 'voicekit-dictation'
const STORE = 'segments'

export interface SavedSegment {
  session: string
  index: number
  /** Where it starts on the recording's clock, in samples at 16 kHz. */
  start: number
  /** 16-bit PCM, 16 kHz mono, while it is not transcribed. */
  pcm?: ArrayBuffer
  /** Once transcribed: its text and the provider's segments (on the recording's clock), instead of the audio. */
  text?: string
  segments?: TranscriptSegment[]
  /** End on the recording's clock, in samples (kept when the audio is dropped). */
  end?: number
  savedAt: number
}

/** One segment of a saved dictation: its audio still to send, or its text already transcribed. */
export type SavedPart =
  | { index: number; start: number; samples: Float32Array }
  | { index: number; start: number; end: number; text: string; segments: TranscriptSegment[] }

/** A dictation that did not finish on its page (reload, crash, or the tab closed): its segments in order. */
export interface SavedDictation {
  id: string
  savedAt: number
  segments: SavedPart[]
  /** Seconds of audio not transcribed yet. */
  seconds: number
  /** The text already transcribed, in order (what the person had seen). */
  text: string
}

const request = <T>(req: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })

let opening: Promise<IDBDatabase> | undefined
function open(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new VoiceError('not_supported', 'No IndexedDB'))
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: ['session', 'index'] })
    req.onsuccess = () => {
      const db = req.result
      db.onversionchange = () => {
        db.close()
        opening = undefined
      }
      resolve(db)
    }
    req.onerror = () => {
      opening = undefined
      reject(req.error)
    }
  })
  return opening
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open()
  const tx = db.transaction(STORE, mode)
  const result = request(work(tx.objectStore(STORE)))
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = tx.onabort = () => reject(tx.error)
  })
  return result
}

export const toPcm16 = (samples: Float32Array): Int16Array<ArrayBuffer> =>
  Int16Array.from(samples, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32768))))
export const fromPcm16 = (pcm: Int16Array) => Float32Array.from(pcm, (x) => x / 32768)

export function saveSegment(session: string, index: number, start: number, samples: Float32Array): Promise<void> {
  const value: SavedSegment = { session, index, start, pcm: toPcm16(samples).buffer, savedAt: Date.now() }
  return run('readwrite', (store) => store.put(value)).then(() => {})
}

/** A segment was transcribed: its text replaces its audio (`start`, `end` in samples). */
export function saveSegmentText(
  session: string,
  index: number,
  start: number,
  end: number,
  text: string,
  segments: TranscriptSegment[],
): Promise<void> {
  const value: SavedSegment = { session, index, start, end, text, segments, savedAt: Date.now() }
  return run('readwrite', (store) => store.put(value)).then(() => {})
}

/** Forgets every saved segment of a dictation. */
export function discardSavedDictation(id: string): Promise<void> {
  return run('readwrite', (store) => store.delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity]))).then(() => {})
}

/** The dictations that did not finish, oldest first. Empty where IndexedDB is missing. */
export async function loadSavedDictations(): Promise<SavedDictation[]> {
  let rows: SavedSegment[]
  try {
    rows = await run('readonly', (store) => store.getAll() as IDBRequest<SavedSegment[]>)
  } catch {
    return []
  }
  const byId = new Map<string, SavedDictation>()
  for (const row of rows) {
    const saved = byId.get(row.session) ?? { id: row.session, savedAt: row.savedAt, segments: [], seconds: 0, text: '' }
    if (row.pcm) {
      const samples = fromPcm16(new Int16Array(row.pcm))
      saved.segments.push({ index: row.index, start: row.start, samples })
      saved.seconds += samples.length / 16_000
    } else {
      const { index, start, end = start, text = '', segments = [] } = row
      saved.segments.push({ index, start, end, text, segments })
    }
    saved.savedAt = Math.min(saved.savedAt, row.savedAt)
    byId.set(row.session, saved)
  }
  const all = [...byId.values()]
  for (const saved of all) {
    saved.segments.sort((a, b) => a.index - b.index)
    saved.text = saved.segments
      .map((x) => ('text' in x ? x.text : ''))
      .filter(Boolean)
      .join(' ')
  }
  return all.sort((a, b) => a.savedAt - b.savedAt)
}
