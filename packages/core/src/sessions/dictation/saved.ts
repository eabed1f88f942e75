// Segments not yet transcribed, kept in IndexedDB so that a reload or a crash loses nothing
// (opt-in: `persist`). Plain IndexedDB: one database, one object store keyed [session, index].
import { VoiceError } from '../../errors'

const DB = 'voicekit-dictation'
const STORE = 'segments'

export interface SavedSegment {
  session: string
  index: number
  /** Where it starts on the recording's clock, in samples at 16 kHz. */
  start: number
  /** 16-bit PCM, 16 kHz mono. */
  pcm: ArrayBuffer
  savedAt: number
}

/** A dictation that ended (reload, crash, or its page closed) with segments not transcribed. */
export interface SavedDictation {
  id: string
  savedAt: number
  segments: { index: number; start: number; samples: Float32Array }[]
  /** Seconds of audio waiting. */
  seconds: number
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

export function forgetSegment(session: string, index: number): Promise<void> {
  return run('readwrite', (store) => store.delete([session, index])).then(() => {})
}

/** Forgets every saved segment of a dictation. */
export function discardSavedDictation(id: string): Promise<void> {
  return run('readwrite', (store) => store.delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity]))).then(() => {})
}

/** The dictations with segments still waiting, oldest first. Empty where IndexedDB is missing. */
export async function loadSavedDictations(): Promise<SavedDictation[]> {
  let rows: SavedSegment[]
  try {
    rows = await run('readonly', (store) => store.getAll() as IDBRequest<SavedSegment[]>)
  } catch {
    return []
  }
  const byId = new Map<string, SavedDictation>()
  for (const row of rows) {
    const saved = byId.get(row.session) ?? { id: row.session, savedAt: row.savedAt, segments: [], seconds: 0 }
    const samples = fromPcm16(new Int16Array(row.pcm))
    saved.segments.push({ index: row.index, start: row.start, samples })
    saved.seconds += samples.length / 16_000
    saved.savedAt = Math.min(saved.savedAt, row.savedAt)
    byId.set(row.session, saved)
  }
  const all = [...byId.values()]
  for (const saved of all) saved.segments.sort((a, b) => a.index - b.index)
  return all.sort((a, b) => a.savedAt - b.savedAt)
}
