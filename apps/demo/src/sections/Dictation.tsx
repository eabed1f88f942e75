// A dictation kept from a page that was closed or reloaded mid-dictation (the note's VoiceInput keeps
// its untranscribed segments in IndexedDB), offered for transcription on the next load.
import { discardSavedDictation, loadSavedDictations, type SavedDictation } from '@voicekit/core'
import { useDictation } from '@voicekit/react'
import { useEffect, useState } from 'react'

export function SavedDictationOffer() {
  const [saved, setSaved] = useState<SavedDictation | null>(null)
  const recovery = useDictation()
  useEffect(() => {
    let live = true
    loadSavedDictations().then((all) => live && setSaved(all[all.length - 1] ?? null))
    return () => {
      live = false
    }
  }, [])
  if (recovery.status !== 'idle') {
    return (
      <p className="demo-lead" aria-live="polite">
        {recovery.status === 'done' ? 'Recovered: ' : 'Recovering… '}
        {recovery.text}
      </p>
    )
  }
  if (!saved) return null
  return (
    <p className="demo-lead" role="status">
      A dictation of {Math.round(saved.seconds)} s was not transcribed before the page closed.{' '}
      <button type="button" className="vk-button" onClick={() => void recovery.dictation.recover(saved)}>
        Transcribe it
      </button>{' '}
      <button
        type="button"
        className="vk-button"
        onClick={() => void discardSavedDictation(saved.id).then(() => setSaved(null))}
      >
        Discard
      </button>
    </p>
  )
}
