// A dictation kept from a page that was closed or reloaded mid-dictation (the note's VoiceInput keeps each
// segment in IndexedDB: its audio until it is transcribed, then its text), offered on the next load.
import { discardSavedDictation, type SavedDictation } from '@voicekit/core'
import { useDictation } from '@voicekit/react'
import { useState } from 'react'

/** Seconds still to transcribe, in words: never "0 s" for a short segment. */
const secondsLeft = (seconds: number) => `${Math.max(1, Math.round(seconds))} s`

/** What the saved dictation holds, in words, and what its button does: the text already transcribed, the audio left. */
export function describeSavedDictation(saved: SavedDictation): { before: string; after: string; action: string } {
  const audio = saved.segments.some((part) => 'samples' in part)
  if (!saved.text) {
    return {
      before: `A dictation of ${secondsLeft(saved.seconds)}`,
      after: ' was not transcribed before the page closed.',
      action: 'Transcribe it',
    }
  }
  if (!audio) {
    return {
      before: 'A dictation was cut off when the page closed, all of it transcribed: ',
      after: '.',
      action: 'Restore it',
    }
  }
  return {
    before: 'A dictation was cut off when the page closed. Transcribed: ',
    after: ` and ${secondsLeft(saved.seconds)} still to transcribe.`,
    action: 'Transcribe the rest',
  }
}

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
      <p className="demo-lead" aria-live="polite" data-testid="recovered">
        {recovery.status === 'done' ? 'Recovered: ' : 'Recovering… '}
        {recovery.text}
      </p>
    )
  }
  if (!saved) return null
  const words = describeSavedDictation(saved)
  return (
    <p className="demo-lead" role="status" data-testid="saved-dictation">
      {words.before}
      {saved.text && <q>{saved.text}</q>}
      {words.after}{' '}
      <button type="button" className="vk-button" onClick={() => void recovery.dictation.recover(saved)}>
        {words.action}
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
