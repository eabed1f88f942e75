import type { SavedDictation, VoiceError } from '@voicekit/core'
import { VoiceInput } from '@voicekit/ui'
import { useState } from 'react'
import type { EngineReport } from '../speech-engines'
import { SavedDictationOffer } from './Dictation'
import { EngineNotice, missingEngines } from './EngineNotice'
import { providerDetail } from './errors'
import { Section } from './Section'

/** Dictation into a note: the first thing a visitor tries, so it comes first. */
export function DictateNote({
  engines,
  saved = null,
}: {
  engines: EngineReport | null | undefined
  /** A dictation kept from a page closed mid-dictation, offered for transcription. */
  saved?: SavedDictation | null
}) {
  const [error, setError] = useState<VoiceError | null>(null)
  const notSetUp = missingEngines(engines, ['stt']).length > 0
  const detail = providerDetail(error)
  return (
    <Section
      id="dictation"
      title="Dictation"
      uses="<VoiceInput>"
      lead="Press the microphone (or Space on it) and speak as long as you like: the text appears at each pause, while you are still speaking. One undo takes the whole dictation back."
    >
      <EngineNotice report={engines} needs={['stt']} feature="Dictation" id="dictation-notice" />
      <VoiceInput
        className="demo-note"
        multiline
        rows={4}
        aria-label="Note"
        placeholder="Type, or dictate…"
        labels={{
          time: '{elapsed} recorded · stops by itself in {remaining}',
          ...(notSetUp && { error: 'Dictation is not set up on this computer yet: see the note above.' }),
        }}
        options={{ onError: setError, onTranscript: () => setError(null) }}
        continuous={{ persist: true }}
      />
      <SavedDictationOffer found={saved} />
      {detail && !notSetUp && (
        <p className="demo-detail" data-testid="dictation-detail">
          {detail}
        </p>
      )}
    </Section>
  )
}
