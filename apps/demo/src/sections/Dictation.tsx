// The demo's continuous dictation: the note fills while you speak; a recording kept from a page that
// was closed or reloaded mid-dictation is offered for transcription.
import { discardSavedDictation, loadSavedDictations, type SavedDictation } from '@voicekit/core'
import { useDictation } from '@voicekit/react'
import { VoiceInput } from '@voicekit/ui'
import { useEffect, useState } from 'react'

export function ContinuousDictation() {
  const [saved, setSaved] = useState<SavedDictation | null>(null)
  const recovery = useDictation()
  useEffect(() => {
    let live = true
    loadSavedDictations().then((all) => live && setSaved(all[all.length - 1] ?? null))
    return () => {
      live = false
    }
  }, [])
  return (
    <section className="demo-card" aria-labelledby="dictation-title">
      <h2 id="dictation-title">Dictation</h2>
      <p className="demo-lead">
        Press the microphone and speak as long as you like: the text appears in the note at each pause, while you are
        still speaking. One undo takes the whole dictation back.
      </p>
      <VoiceInput multiline rows={6} aria-label="Note" placeholder="Type, or dictate…" continuous={{ persist: true }} />
      {saved && recovery.status === 'idle' && (
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
      )}
      {recovery.status !== 'idle' && (
        <p className="demo-lead" aria-live="polite">
          {recovery.status === 'done' ? 'Recovered: ' : 'Recovering… '}
          {recovery.text}
        </p>
      )}
    </section>
  )
}
