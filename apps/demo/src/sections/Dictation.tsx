// A dictation kept from a page that was closed or reloaded mid-dictation (the note's VoiceInput keeps
// its untranscribed segments in IndexedDB), offered for transcription on the next load.
import { discardSavedDictation, type SavedDictation } from '@voicekit/core'
import { useDictation } from '@voicekit/react'
import { useState } from 'react'

/**
 * `found`: the newest saved dictation, read before the page was laid out (App's startup), so that the
 * offer is there from the first render and moves nothing below it by arriving.
 */
export function SavedDictationOffer({ found }: { found: SavedDictation | null }) {
  const [discarded, setDiscarded] = useState(false)
  const saved = discarded ? null : found
  const recovery = useDictation()
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
        onClick={() => void discardSavedDictation(saved.id).then(() => setDiscarded(true))}
      >
        Discard
      </button>
    </p>
  )
}
